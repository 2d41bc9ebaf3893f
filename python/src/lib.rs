//! The native half of the `mrtd_verify` Python package: a verifier that
//! takes image bytes (with companions), files or MRZ text and returns each
//! report as its JSON text, the very bytes the `scan` CLI prints; the
//! package's Python half turns them into dicts. The GIL is released while
//! a document is read and judged, so Python threads verify in parallel.

use std::path::PathBuf;

use mrtd_verify::{Config, Scan, Verifier as Inner, group_companions};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;

/// A verifier: created once (it loads the bundled models), used from any
/// number of threads.
#[pyclass(frozen, module = "mrtd_verify._native")]
struct Verifier {
    inner: Inner,
}

/// The report's JSON (a report always serialises: its types allow nothing
/// else).
fn json(report: &mrtd_verify::Report) -> PyResult<String> {
    report.to_json().map_err(|e| PyRuntimeError::new_err(format!("report: {e}")))
}

#[pymethods]
impl Verifier {
    /// A verifier from a configuration's JSON (`None`: the defaults; every
    /// field optional, unknown fields refused).
    #[new]
    #[pyo3(signature = (config_json = None))]
    fn new(py: Python<'_>, config_json: Option<&str>) -> PyResult<Verifier> {
        let config = Config::from_json(config_json.unwrap_or_default())
            .map_err(|e| PyValueError::new_err(format!("config: {e}")))?;
        let inner = py.detach(|| Inner::new(config)).map_err(|e| PyRuntimeError::new_err(e.chain()))?;
        Ok(Verifier { inner })
    }

    /// Reads and judges a scan from its encoded bytes, with the infrared
    /// and ultraviolet companions when given: the report's JSON.
    #[pyo3(signature = (visible, ir = None, uv = None, source = ""))]
    fn verify_image(
        &self,
        py: Python<'_>,
        visible: &[u8],
        ir: Option<&[u8]>,
        uv: Option<&[u8]>,
        source: &str,
    ) -> PyResult<String> {
        let report = py.detach(|| {
            let mut scan = Scan::from_bytes(source, visible);
            if let Some(ir) = ir {
                scan = scan.with_ir(ir);
            }
            if let Some(uv) = uv {
                scan = scan.with_uv(uv);
            }
            self.inner.verify(&scan)
        });
        json(&report)
    }

    /// Judges MRZ text (one document): the report's JSON.
    #[pyo3(signature = (text, source = ""))]
    fn verify_text(&self, py: Python<'_>, text: &str, source: &str) -> PyResult<String> {
        json(&py.detach(|| self.inner.verify_text(source, text)))
    }

    /// Reads and judges image files in parallel, `NAME-ir.*` and
    /// `NAME-uv.*` paired with `NAME.*` as the CLI pairs them: one report's
    /// JSON per document, in the order of their visible images.
    fn verify_files(&self, py: Python<'_>, paths: Vec<PathBuf>) -> PyResult<Vec<String>> {
        let reports = py.detach(|| self.inner.verify_files(&group_companions(&paths), |_, _| {}));
        reports.iter().map(json).collect()
    }
}

/// The extension module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Verifier>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
