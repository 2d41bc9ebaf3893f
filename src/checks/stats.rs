//! Robust statistics the image checks share: medians, quantiles, the median
//! absolute deviation and a robust straight-line fit. Every function
//! takes a slice and returns a value; no hidden state.

/// The median of `v` (the mean of the two middle values for an even count);
/// `None` when empty or when a value is not a number.
pub(crate) fn median(v: &[f32]) -> Option<f32> {
    if v.is_empty() || v.iter().any(|x| x.is_nan()) {
        return None;
    }
    let mut s = v.to_vec();
    s.sort_by(f32::total_cmp);
    let n = s.len();
    let hi = s.get(n / 2).copied()?;
    if n % 2 == 1 { Some(hi) } else { Some((s.get(n / 2 - 1).copied()? + hi) / 2.0) }
}

/// The median absolute deviation from the median, scaled by 1.4826 so it
/// estimates a normal distribution's standard deviation.
pub(crate) fn mad(v: &[f32]) -> Option<f32> {
    let m = median(v)?;
    let dev: Vec<f32> = v.iter().map(|x| (x - m).abs()).collect();
    median(&dev).map(|d| d * 1.4826)
}

/// The `q` quantile (0..=1) of `v`, nearest rank.
pub(crate) fn quantile(v: &[f32], q: f32) -> Option<f32> {
    if v.is_empty() || v.iter().any(|x| x.is_nan()) {
        return None;
    }
    let mut s = v.to_vec();
    s.sort_by(f32::total_cmp);
    let i = ((s.len() - 1) as f32 * q.clamp(0.0, 1.0)).round() as usize;
    s.get(i).copied()
}

/// A straight line `y = a + b x` fitted to the points, robust to a few
/// outliers: least squares, then again without the points more than three
/// robust spreads (at least `floor`) from the first fit. `None` for fewer
/// than two distinct `x`.
pub(crate) fn robust_line(xs: &[f32], ys: &[f32], floor: f32) -> Option<(f32, f32)> {
    let fit = |keep: &dyn Fn(usize) -> bool| -> Option<(f32, f32)> {
        let pts: Vec<(f32, f32)> =
            xs.iter().zip(ys).enumerate().filter(|(i, _)| keep(*i)).map(|(_, (&x, &y))| (x, y)).collect();
        let n = pts.len() as f32;
        if pts.len() < 2 {
            return None;
        }
        let (mx, my) = (pts.iter().map(|p| p.0).sum::<f32>() / n, pts.iter().map(|p| p.1).sum::<f32>() / n);
        let sxx: f32 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
        if sxx <= f32::EPSILON {
            return None;
        }
        let b = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f32>() / sxx;
        Some((my - b * mx, b))
    };
    let (a, b) = fit(&|_| true)?;
    let residuals: Vec<f32> = xs.iter().zip(ys).map(|(&x, &y)| y - (a + b * x)).collect();
    let spread = mad(&residuals)?.max(floor);
    let keep = |i: usize| residuals.get(i).is_some_and(|r| r.abs() <= 3.0 * spread);
    Some(fit(&keep).unwrap_or((a, b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_spreads() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[1.0, f32::NAN]), None);
        // One wild value moves neither the median nor the MAD much.
        let v = [1.0, 1.1, 0.9, 1.0, 1.05, 0.95, 40.0];
        assert!((median(&v).unwrap() - 1.0).abs() < 1e-6);
        assert!(mad(&v).unwrap() < 0.2);
        assert_eq!(quantile(&[5.0, 1.0, 3.0], 1.0), Some(5.0));
        assert_eq!(quantile(&[5.0, 1.0, 3.0], 0.0), Some(1.0));
    }

    #[test]
    fn robust_line_ignores_outliers() {
        let xs: Vec<f32> = (0..20).map(|i| i as f32).collect();
        let mut ys: Vec<f32> = xs.iter().map(|x| 2.0 + 0.5 * x).collect();
        ys[7] += 30.0;
        ys[13] -= 25.0;
        let (a, b) = robust_line(&xs, &ys, 0.01).unwrap();
        assert!((a - 2.0).abs() < 1e-3 && (b - 0.5).abs() < 1e-4, "{a} {b}");
        assert_eq!(robust_line(&[1.0, 1.0], &[0.0, 1.0], 0.1), None);
    }
}
