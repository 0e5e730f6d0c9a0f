//! Files packed as a ZIP: a program's folder, a person's copy of their data.

use std::collections::BTreeMap;

/// `files` (path → text) packed as a ZIP.
pub fn zip_files(files: &BTreeMap<String, String>) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (path, text) in files {
        zip.start_file(path.as_str(), options)?;
        zip.write_all(text.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}
