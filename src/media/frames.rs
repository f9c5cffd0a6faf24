//! The messages between the server and its picture process (`draw_process.rs`,
//! `draw_child.rs`) over the child's standard input and output: a JSON header and a block of
//! bytes, each after its length (`u32` and `u64`, big-endian). Blocking I/O on both sides.

use std::io::{Read, Write};

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The largest header either side reads: headers are a few hundred bytes.
const MAX_HEADER: u32 = 1 << 20;
/// The largest block either side reads: a master or a set of renditions of the largest
/// picture accepted is far below it.
const MAX_BLOCK: u64 = 1 << 31;

fn too_large(what: &str, len: u64) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("a {what} of {len} bytes is larger than a picture process sends"),
    )
}

fn bad_header(err: serde_json::Error) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, err)
}

/// Writes one message.
pub fn write(out: &mut impl Write, header: &impl Serialize, block: &[u8]) -> std::io::Result<()> {
    let header = serde_json::to_vec(header).map_err(bad_header)?;
    out.write_all(&(header.len() as u32).to_be_bytes())?;
    out.write_all(&header)?;
    out.write_all(&(block.len() as u64).to_be_bytes())?;
    out.write_all(block)?;
    out.flush()
}

/// Reads one message; `None` at a clean end of input.
pub fn read<H: DeserializeOwned>(input: &mut impl Read) -> std::io::Result<Option<(H, Vec<u8>)>> {
    let mut len = [0u8; 4];
    match input.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let header_len = u32::from_be_bytes(len);
    if header_len > MAX_HEADER {
        return Err(too_large("header", header_len.into()));
    }
    let mut header = vec![0u8; header_len as usize];
    input.read_exact(&mut header)?;
    let mut len = [0u8; 8];
    input.read_exact(&mut len)?;
    let block_len = u64::from_be_bytes(len);
    if block_len > MAX_BLOCK {
        return Err(too_large("block", block_len));
    }
    let mut block = vec![0u8; block_len as usize];
    input.read_exact(&mut block)?;
    let header = serde_json::from_slice(&header).map_err(bad_header)?;
    Ok(Some((header, block)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_back_whole_and_in_order() {
        let mut wire = Vec::new();
        write(&mut wire, &vec!["w640.webp"], b"pixels").unwrap();
        write(&mut wire, &7u32, b"").unwrap();
        let mut input = wire.as_slice();
        let (names, block): (Vec<String>, _) = read(&mut input).unwrap().unwrap();
        assert_eq!(
            (names, block),
            (vec!["w640.webp".to_owned()], b"pixels".to_vec())
        );
        let (n, block): (u32, _) = read(&mut input).unwrap().unwrap();
        assert_eq!((n, block), (7, Vec::new()));
        assert!(read::<u32>(&mut input).unwrap().is_none(), "a clean end");
    }

    #[test]
    fn a_cut_message_or_an_absurd_length_is_an_error() {
        let mut wire = Vec::new();
        write(&mut wire, &1u8, b"abcdef").unwrap();
        let cut = &wire[..wire.len() - 2];
        assert!(read::<u8>(&mut &cut[..]).is_err());
        let absurd = u32::MAX.to_be_bytes();
        assert!(read::<u8>(&mut &absurd[..]).is_err());
    }
}
