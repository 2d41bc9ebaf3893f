//! Places on a page: one point type and one quadrilateral type, used by every
//! layer (the reader's geometry, the checks' evidence, the report).
//!
//! Coordinates are page pixels of the visible image as decoded, `x` to the
//! right and `y` down, with `(0, 0)` the top-left corner of the top-left
//! pixel. A [`Quad`]'s corners run top-left, top-right, bottom-right,
//! bottom-left *of the region as read upright*: on a page turned a quarter,
//! the "top-left" corner of the MRZ is wherever its first character starts.
//!
//! In JSON a point is `[x, y]` and a quadrilateral `{"corners": [[x, y], ...]}`.

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// A point in page pixels.
///
/// # Examples
///
/// ```
/// use mrtd_verify::Point;
/// let p = Point::new(3.0, 4.0);
/// assert_eq!(p.distance(Point::new(0.0, 0.0)), 5.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize), serde(from = "[f32; 2]", into = "[f32; 2]"))]
pub struct Point {
    /// To the right.
    pub x: f32,
    /// Down.
    pub y: f32,
}

impl Point {
    /// A point.
    pub const fn new(x: f32, y: f32) -> Point {
        Point { x, y }
    }

    /// Euclidean distance to another point.
    pub fn distance(self, other: Point) -> f32 {
        ((self.x - other.x).powi(2) + (self.y - other.y).powi(2)).sqrt()
    }

    /// The point halfway to `other`.
    pub fn midpoint(self, other: Point) -> Point {
        Point::new((self.x + other.x) / 2.0, (self.y + other.y) / 2.0)
    }
}

impl From<[f32; 2]> for Point {
    fn from([x, y]: [f32; 2]) -> Point {
        Point { x, y }
    }
}

impl From<Point> for [f32; 2] {
    fn from(p: Point) -> [f32; 2] {
        [p.x, p.y]
    }
}

impl From<(f32, f32)> for Point {
    fn from((x, y): (f32, f32)) -> Point {
        Point { x, y }
    }
}

/// A quadrilateral in page pixels: corners top-left, top-right, bottom-right,
/// bottom-left of the region as read upright.
///
/// # Examples
///
/// ```
/// use mrtd_verify::{Point, Quad};
/// let q = Quad::from_box(10.0, 20.0, 30.0, 25.0);
/// assert_eq!(q.corners[2], Point::new(30.0, 25.0));
/// assert_eq!(q.centre(), Point::new(20.0, 22.5));
/// assert_eq!((q.width(), q.height()), (20.0, 5.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Quad {
    /// Top-left, top-right, bottom-right, bottom-left.
    pub corners: [Point; 4],
}

impl Quad {
    /// A quadrilateral from its four corners.
    pub const fn new(corners: [Point; 4]) -> Quad {
        Quad { corners }
    }

    /// An upright box from `(x0, y0)` (top-left) to `(x1, y1)` (bottom-right).
    pub const fn from_box(x0: f32, y0: f32, x1: f32, y1: f32) -> Quad {
        Quad { corners: [Point::new(x0, y0), Point::new(x1, y0), Point::new(x1, y1), Point::new(x0, y1)] }
    }

    /// The mean of the corners.
    pub fn centre(&self) -> Point {
        let [a, b, c, d] = self.corners;
        Point::new((a.x + b.x + c.x + d.x) / 4.0, (a.y + b.y + c.y + d.y) / 4.0)
    }

    /// Mean length of the top and bottom edges (along the reading direction).
    pub fn width(&self) -> f32 {
        let [a, b, c, d] = self.corners;
        (a.distance(b) + d.distance(c)) / 2.0
    }

    /// Mean length of the left and right edges (across the reading direction).
    pub fn height(&self) -> f32 {
        let [a, b, c, d] = self.corners;
        (a.distance(d) + b.distance(c)) / 2.0
    }

    /// The axis-aligned bounding box: `(left, top, right, bottom)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::{Point, Quad};
    /// let q = Quad::new([Point::new(2.0, 1.0), Point::new(9.0, 3.0), Point::new(8.0, 7.0), Point::new(1.0, 5.0)]);
    /// assert_eq!(q.bounds(), (1.0, 1.0, 9.0, 7.0));
    /// ```
    pub fn bounds(&self) -> (f32, f32, f32, f32) {
        self.corners
            .iter()
            .fold((f32::INFINITY, f32::INFINITY, f32::NEG_INFINITY, f32::NEG_INFINITY), |(l, t, r, b), p| {
                (l.min(p.x), t.min(p.y), r.max(p.x), b.max(p.y))
            })
    }

    /// Each corner mapped through `f`.
    pub fn map(&self, f: impl Fn(Point) -> Point) -> Quad {
        Quad { corners: self.corners.map(f) }
    }

    /// Whether a point lies inside the quadrilateral (convex, corners in
    /// either turning order; on an edge counts as inside).
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::{Point, Quad};
    /// let q = Quad::from_box(0.0, 0.0, 10.0, 5.0);
    /// assert!(q.contains(Point::new(3.0, 2.0)));
    /// assert!(!q.contains(Point::new(11.0, 2.0)));
    /// ```
    pub fn contains(&self, p: Point) -> bool {
        let [a, b, c, d] = self.corners;
        let mut sign = 0.0f32;
        for (u, v) in [(a, b), (b, c), (c, d), (d, a)] {
            let cross = (v.x - u.x) * (p.y - u.y) - (v.y - u.y) * (p.x - u.x);
            if cross == 0.0 {
                continue;
            }
            if sign == 0.0 {
                sign = cross.signum();
            } else if cross.signum() != sign {
                return false;
            }
        }
        true
    }
}

/// Serde for a [`Quad`] written as its four points, `[[x, y], ...]` (the
/// specimen labels' form).
#[cfg(all(feature = "serde", feature = "specimen"))]
pub(crate) mod as_points {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{Point, Quad};

    /// Writes the corners.
    pub(crate) fn serialize<S: Serializer>(q: &Quad, s: S) -> Result<S::Ok, S::Error> {
        q.corners.serialize(s)
    }

    /// Reads the corners.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Quad, D::Error> {
        <[Point; 4]>::deserialize(d).map(Quad::new)
    }

    /// The same for an optional quadrilateral.
    pub(crate) mod option {
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        use super::super::{Point, Quad};

        /// Writes the corners, or nothing.
        pub(crate) fn serialize<S: Serializer>(q: &Option<Quad>, s: S) -> Result<S::Ok, S::Error> {
            q.map(|q| q.corners).serialize(s)
        }

        /// Reads the corners, or nothing.
        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Quad>, D::Error> {
            Option::<[Point; 4]>::deserialize(d).map(|c| c.map(Quad::new))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quad_measures() {
        // A box turned a quarter: width is still along the reading direction.
        let q = Quad::new([Point::new(10.0, 0.0), Point::new(10.0, 40.0), Point::new(0.0, 40.0), Point::new(0.0, 0.0)]);
        assert_eq!((q.width(), q.height()), (40.0, 10.0));
        assert_eq!(q.map(|p| Point::new(p.x * 2.0, p.y)).centre(), Point::new(10.0, 20.0));
    }

    #[cfg(feature = "serde")]
    #[test]
    fn json_shape() {
        let q = Quad::from_box(1.0, 2.0, 3.0, 4.0);
        let j = serde_json::to_string(&q).unwrap();
        assert_eq!(j, r#"{"corners":[[1.0,2.0],[3.0,2.0],[3.0,4.0],[1.0,4.0]]}"#);
        assert_eq!(serde_json::from_str::<Quad>(&j).unwrap(), q);
    }
}
