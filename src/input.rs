//! What goes in (feature `ocr`): a [`Scan`] is the visible image of a
//! document with optional infrared and ultraviolet companions, each as
//! encoded bytes or as decoded pixels; [`ScanFiles`] names them on disk and
//! [`group_companions`] pairs `NAME-ir.*` / `NAME-uv.*` files with `NAME.*`
//! as document readers save them.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use image::DynamicImage;

use crate::Error;
use crate::report::Band;

/// One band's image: encoded bytes (JPEG, PNG, TIFF, BMP, WebP), decoded within the
/// verifier's limits, or pixels already decoded.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ImageInput<'a> {
    /// Encoded bytes.
    Bytes(Cow<'a, [u8]>),
    /// Decoded pixels.
    Pixels(Cow<'a, DynamicImage>),
}

impl<'a> From<&'a [u8]> for ImageInput<'a> {
    fn from(b: &'a [u8]) -> ImageInput<'a> {
        ImageInput::Bytes(Cow::Borrowed(b))
    }
}

impl<'a> From<Vec<u8>> for ImageInput<'a> {
    fn from(b: Vec<u8>) -> ImageInput<'a> {
        ImageInput::Bytes(Cow::Owned(b))
    }
}

impl<'a> From<&'a DynamicImage> for ImageInput<'a> {
    fn from(i: &'a DynamicImage) -> ImageInput<'a> {
        ImageInput::Pixels(Cow::Borrowed(i))
    }
}

impl<'a> From<DynamicImage> for ImageInput<'a> {
    fn from(i: DynamicImage) -> ImageInput<'a> {
        ImageInput::Pixels(Cow::Owned(i))
    }
}

/// A scan of one document: the visible image, and the infrared and
/// ultraviolet images when the reader gives them.
///
/// # Examples
///
/// ```
/// use mrtd_verify::image::{DynamicImage, RgbImage};
/// use mrtd_verify::{Band, Scan};
/// let visible = DynamicImage::ImageRgb8(RgbImage::new(640, 480));
/// let scan = Scan::new("desk-2/0001", visible).with_ir(vec![0u8; 4]);
/// assert_eq!(scan.bands(), [Band::Visible, Band::Ir]);
/// assert_eq!(scan.source(), "desk-2/0001");
/// ```
#[derive(Debug, Clone)]
pub struct Scan<'a> {
    source: Cow<'a, str>,
    pub(crate) visible: ImageInput<'a>,
    pub(crate) ir: Option<ImageInput<'a>>,
    pub(crate) uv: Option<ImageInput<'a>>,
}

impl<'a> Scan<'a> {
    /// A scan of its visible image; `source` names it in the report.
    pub fn new(source: impl Into<Cow<'a, str>>, visible: impl Into<ImageInput<'a>>) -> Scan<'a> {
        Scan { source: source.into(), visible: visible.into(), ir: None, uv: None }
    }

    /// A scan of encoded bytes.
    pub fn from_bytes(source: impl Into<Cow<'a, str>>, bytes: impl Into<Cow<'a, [u8]>>) -> Scan<'a> {
        Scan::new(source, ImageInput::Bytes(bytes.into()))
    }

    /// With an infrared (B900) companion.
    pub fn with_ir(mut self, ir: impl Into<ImageInput<'a>>) -> Scan<'a> {
        self.ir = Some(ir.into());
        self
    }

    /// With an ultraviolet companion.
    pub fn with_uv(mut self, uv: impl Into<ImageInput<'a>>) -> Scan<'a> {
        self.uv = Some(uv.into());
        self
    }

    /// The name given.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The bands given, visible first.
    pub fn bands(&self) -> Vec<Band> {
        let mut b = vec![Band::Visible];
        if self.ir.is_some() {
            b.push(Band::Ir);
        }
        if self.uv.is_some() {
            b.push(Band::Uv);
        }
        b
    }
}

/// The files of one scanned document: the visible image and its companions.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScanFiles {
    /// The visible image.
    pub visible: PathBuf,
    /// The infrared companion, `NAME-ir.*` beside `NAME.*`.
    pub ir: Option<PathBuf>,
    /// The ultraviolet companion, `NAME-uv.*`.
    pub uv: Option<PathBuf>,
}

impl ScanFiles {
    /// A document of one visible image.
    pub fn new(visible: impl Into<PathBuf>) -> ScanFiles {
        ScanFiles { visible: visible.into(), ir: None, uv: None }
    }

    /// Reads the files under the default limits: [`ScanFiles::load_within`].
    ///
    /// # Errors
    ///
    /// As [`ScanFiles::load_within`].
    pub fn load(&self) -> Result<Scan<'static>, Error> {
        self.load_within(&crate::DecodeLimits::default())
    }

    /// Reads the files (a convenience loader: the core does no I/O). Only
    /// regular files are read (a FIFO, a device or a folder with an image's
    /// name would block or mislead), and none larger than
    /// [`DecodeLimits::max_file`](crate::DecodeLimits::max_file), checked
    /// before reading and enforced while reading.
    ///
    /// # Errors
    ///
    /// [`crate::ErrorKind::Io`] with the path of the first file that cannot
    /// be read, is not a regular file, or is too large (the message says which
    /// and what to do).
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::{DecodeLimits, ScanFiles};
    /// let dir = std::env::temp_dir();
    /// let e = ScanFiles::new(&dir).load_within(&DecodeLimits::default()).unwrap_err();
    /// assert!(e.is_io());
    /// assert!(e.chain().contains("not a regular file"), "{}", e.chain());
    /// ```
    pub fn load_within(&self, limits: &crate::DecodeLimits) -> Result<Scan<'static>, Error> {
        let read = |p: &Path| read_file_within(p, limits.max_file).map_err(|e| Error::io(p, e));
        let mut scan = Scan::from_bytes(source_name(&self.visible), read(&self.visible)?);
        if let Some(p) = &self.ir {
            scan = scan.with_ir(read(p)?);
        }
        if let Some(p) = &self.uv {
            scan = scan.with_uv(read(p)?);
        }
        Ok(scan)
    }
}

/// A path as a report's `source`: as it is when it is UTF-8; otherwise each
/// byte that is not UTF-8 written `\xNN`, so that two names that differ only
/// there stay two sources.
///
/// # Examples
///
/// ```
/// use std::path::Path;
/// assert_eq!(mrtd_verify::source_name(Path::new("scans/a.jpg")), "scans/a.jpg");
/// #[cfg(unix)]
/// {
///     use std::os::unix::ffi::OsStrExt;
///     let odd = Path::new(std::ffi::OsStr::from_bytes(b"scans/\xFFa.jpg"));
///     assert_eq!(mrtd_verify::source_name(odd), "scans/\\xFFa.jpg");
/// }
/// ```
pub fn source_name(path: &Path) -> String {
    if let Some(s) = path.to_str() {
        return s.to_owned();
    }
    #[cfg(unix)]
    {
        use std::fmt::Write;
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                let _ = write!(out, "\\x{b:02X}");
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned()
    }
}

/// Reads a regular file of at most `max` bytes, as the loaders do: a FIFO,
/// device or folder is refused without blocking, a larger file before it is
/// read (and a file growing while it is read, at the limit).
///
/// # Errors
///
/// The I/O error, or `InvalidInput` (not a regular file) and `InvalidData`
/// (too large) with a message saying what to do.
///
/// # Examples
///
/// ```
/// let e = mrtd_verify::read_file_within(&std::env::temp_dir(), 1 << 20).unwrap_err();
/// assert!(e.to_string().contains("not a regular file"));
/// ```
pub fn read_file_within(p: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{Error as IoError, ErrorKind, Read};
    let meta = std::fs::metadata(p)?;
    if !meta.is_file() {
        let what = if meta.is_dir() { "a folder" } else { "a FIFO, socket or device" };
        return Err(IoError::new(
            ErrorKind::InvalidInput,
            format!("not a regular file ({what}): only regular files are read"),
        ));
    }
    let too_large = |len: u64| {
        IoError::new(
            ErrorKind::InvalidData,
            format!(
                "the file is too large to read ({} MiB, the limit is {} MiB): re-export the scan at 300 dpi as JPEG",
                len.div_ceil(1 << 20),
                max >> 20
            ),
        )
    };
    if meta.len() > max {
        return Err(too_large(meta.len()));
    }
    // Opened without blocking (a FIFO put in its place after the check above
    // would block a plain open), then checked again on the open file.
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(p)?;
    if !file.metadata()?.is_file() {
        return Err(IoError::new(ErrorKind::InvalidInput, "not a regular file: only regular files are read"));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // The file may grow while it is read: never past the limit.
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The band a file name says it holds: `NAME-ir.EXT` infrared, `NAME-uv.EXT`
/// ultraviolet, with `NAME` the document's; anything else visible.
fn band_of(p: &Path) -> (Band, Option<String>) {
    let Some(stem) = p.file_stem().and_then(|s| s.to_str()) else { return (Band::Visible, None) };
    if let Some(base) = stem.strip_suffix("-ir") {
        (Band::Ir, Some(base.to_owned()))
    } else if let Some(base) = stem.strip_suffix("-uv") {
        (Band::Uv, Some(base.to_owned()))
    } else {
        (Band::Visible, Some(stem.to_owned()))
    }
}

/// Groups image files into documents: `NAME-ir.*` and `NAME-uv.*` become the
/// companions of `NAME.*` in the same folder; a companion with no visible
/// image beside it is a document of its own. Documents keep the order of
/// their visible images in `paths`. Pure: only the names are looked at.
///
/// # Examples
///
/// ```
/// use std::path::PathBuf;
/// use mrtd_verify::group_companions;
/// let files: Vec<PathBuf> = ["a/1.jpg", "a/1-ir.png", "a/1-uv.png", "a/2.jpg", "b/1-ir.png"]
///     .iter().map(PathBuf::from).collect();
/// let docs = group_companions(&files);
/// assert_eq!(docs.len(), 3);
/// assert_eq!(docs[0].ir.as_deref(), Some(std::path::Path::new("a/1-ir.png")));
/// assert_eq!(docs[1].visible, PathBuf::from("a/2.jpg"));
/// assert_eq!(docs[2].visible, PathBuf::from("b/1-ir.png")); // no b/1.* beside it
/// ```
pub fn group_companions(paths: &[PathBuf]) -> Vec<ScanFiles> {
    use std::collections::{HashMap, HashSet};
    /// A document's folder and base name.
    type Key = (Option<PathBuf>, String);
    let key = |p: &Path, base: &str| -> Key { (p.parent().map(Path::to_path_buf), base.to_owned()) };
    let visible: HashSet<Key> = paths
        .iter()
        .filter_map(|p| match band_of(p) {
            (Band::Visible, Some(base)) => Some(key(p, &base)),
            _ => None,
        })
        .collect();
    // Documents in input order; companions of a visible image wait for it.
    let mut docs: Vec<ScanFiles> = Vec::new();
    let mut index: HashMap<Key, usize> = HashMap::new();
    let mut companions: Vec<(Band, &PathBuf, Key)> = Vec::new();
    for p in paths {
        match band_of(p) {
            (Band::Visible, Some(base)) => {
                index.entry(key(p, &base)).or_insert(docs.len());
                docs.push(ScanFiles::new(p.clone()));
            }
            (band, Some(base)) if visible.contains(&key(p, &base)) => companions.push((band, p, key(p, &base))),
            _ => docs.push(ScanFiles::new(p.clone())),
        }
    }
    for (band, p, k) in companions {
        let slot = index.get(&k).copied().and_then(|i| docs.get_mut(i));
        let placed = match (slot, band) {
            (Some(d), Band::Ir) if d.ir.is_none() => {
                d.ir = Some(p.clone());
                true
            }
            (Some(d), Band::Uv) if d.uv.is_none() => {
                d.uv = Some(p.clone());
                true
            }
            _ => false,
        };
        // A second companion of one band (NAME-ir.png beside NAME-ir.jpg):
        // a document of its own rather than dropped.
        if !placed {
            docs.push(ScanFiles::new(p.clone()));
        }
    }
    docs
}
