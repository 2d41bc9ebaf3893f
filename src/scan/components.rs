//! Connected components of an ink mask, with the statistics the locator needs
//! (box, area, centroid), in one labelling pass and a merge.

use image::GrayImage;

/// One component.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Component {
    pub(crate) x0: u32,
    pub(crate) y0: u32,
    pub(crate) x1: u32,
    pub(crate) y1: u32,
    pub(crate) area: u32,
    sx: f64,
    sy: f64,
}

impl Component {
    fn new(x: u32, y: u32) -> Component {
        Component { x0: x, y0: y, x1: x, y1: y, area: 1, sx: f64::from(x), sy: f64::from(y) }
    }

    fn add(&mut self, x: u32, y: u32) {
        self.x0 = self.x0.min(x);
        self.y0 = self.y0.min(y);
        self.x1 = self.x1.max(x);
        self.y1 = self.y1.max(y);
        self.area += 1;
        self.sx += f64::from(x);
        self.sy += f64::from(y);
    }

    fn merge(&mut self, o: &Component) {
        self.x0 = self.x0.min(o.x0);
        self.y0 = self.y0.min(o.y0);
        self.x1 = self.x1.max(o.x1);
        self.y1 = self.y1.max(o.y1);
        self.area += o.area;
        self.sx += o.sx;
        self.sy += o.sy;
    }

    pub(crate) fn width(&self) -> u32 {
        self.x1 - self.x0 + 1
    }

    pub(crate) fn height(&self) -> u32 {
        self.y1 - self.y0 + 1
    }

    /// Centroid.
    pub(crate) fn centre(&self) -> (f64, f64) {
        let n = f64::from(self.area);
        (self.sx / n, self.sy / n)
    }
}

fn find(parent: &mut [u32], mut i: u32) -> u32 {
    while let Some(&p) = parent.get(i as usize) {
        if p == i {
            break;
        }
        // Path halving.
        let gp = parent.get(p as usize).copied().unwrap_or(p);
        if let Some(slot) = parent.get_mut(i as usize) {
            *slot = gp;
        }
        i = gp;
    }
    i
}

/// The 8-connected components of the non-zero pixels of `mask`.
pub(crate) fn components(mask: &GrayImage) -> Vec<Component> {
    let (w, h) = mask.dimensions();
    let (wu, hu) = (w as usize, h as usize);
    let src = mask.as_raw();
    let mut labels = vec![u32::MAX; wu * hu];
    let mut parent: Vec<u32> = Vec::new();
    let mut stats: Vec<Component> = Vec::new();
    for y in 0..hu {
        for x in 0..wu {
            if src.get(y * wu + x).copied().unwrap_or(0) == 0 {
                continue;
            }
            // Neighbours already visited: W, NW, N, NE.
            let mut found = u32::MAX;
            let neighbours = [
                (x > 0).then(|| y * wu + x - 1),
                (x > 0 && y > 0).then(|| (y - 1) * wu + x - 1),
                (y > 0).then(|| (y - 1) * wu + x),
                (y > 0 && x + 1 < wu).then(|| (y - 1) * wu + x + 1),
            ];
            for n in neighbours.into_iter().flatten() {
                let l = labels.get(n).copied().unwrap_or(u32::MAX);
                if l == u32::MAX {
                    continue;
                }
                if found == u32::MAX {
                    found = l;
                } else if l != found {
                    let (a, b) = (find(&mut parent, found), find(&mut parent, l));
                    if a != b {
                        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                        if let Some(slot) = parent.get_mut(hi as usize) {
                            *slot = lo;
                        }
                    }
                }
            }
            let label = if found == u32::MAX {
                let id = parent.len() as u32;
                parent.push(id);
                stats.push(Component::new(x as u32, y as u32));
                id
            } else {
                if let Some(c) = stats.get_mut(found as usize) {
                    c.add(x as u32, y as u32);
                }
                found
            };
            if let Some(slot) = labels.get_mut(y * wu + x) {
                *slot = label;
            }
        }
    }
    // Merge the statistics of equivalent labels into their roots.
    let mut out: Vec<Option<Component>> = vec![None; stats.len()];
    for i in 0..stats.len() as u32 {
        let root = find(&mut parent, i);
        let Some(c) = stats.get(i as usize).copied() else { continue };
        if let Some(slot) = out.get_mut(root as usize) {
            match slot {
                Some(acc) => acc.merge(&c),
                None => *slot = Some(c),
            }
        }
    }
    out.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_stats() {
        // Two blobs: a U shape (merged late) and a diagonal bar.
        let mut m = GrayImage::new(40, 20);
        for y in 2..10 {
            m.put_pixel(2, y, image::Luma([255]));
            m.put_pixel(8, y, image::Luma([255]));
        }
        for x in 2..9 {
            m.put_pixel(x, 10, image::Luma([255]));
        }
        for k in 0..10 {
            m.put_pixel(20 + k, 5 + k, image::Luma([255]));
        }
        let mut cs = components(&m);
        cs.sort_by_key(|c| c.x0);
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].area, 8 + 8 + 7);
        assert_eq!((cs[0].x0, cs[0].y0, cs[0].x1, cs[0].y1), (2, 2, 8, 10));
        let (cx, cy) = cs[1].centre();
        assert!((cx - 24.5).abs() < 1e-9 && (cy - 9.5).abs() < 1e-9);
    }
}
