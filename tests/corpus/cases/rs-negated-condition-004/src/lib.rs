//! Wire helpers for the replication channel: base64 / hex codecs, CRC-32 and
//! length-prefixed, checksummed frames (`[len: u32 BE][payload][crc32: u32 BE]`).

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
pub const MAX_FRAME: usize = 64 * 1024;

#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    BadLength(usize),
    BadChar(usize),
    BadPadding,
}

#[derive(Debug, PartialEq, Eq)]
pub enum FrameError {
    TooLarge(usize),
    BadChecksum,
}

pub fn b64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b1 = *chunk.get(1).unwrap_or(&0) as u32;
        let b2 = *chunk.get(2).unwrap_or(&0) as u32;
        let n = (chunk[0] as u32) << 16 | b1 << 8 | b2;
        for j in 0..4 {
            if j <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * j) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn sextet(c: u8) -> Option<u32> {
    match c {
        b'A'..=b'Z' => Some((c - b'A') as u32),
        b'a'..=b'z' => Some((c - b'a') as u32 + 26),
        b'0'..=b'9' => Some((c - b'0') as u32 + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

pub fn b64_decode(s: &str) -> Result<Vec<u8>, DecodeError> {
    let b = s.as_bytes();
    if b.len() % 4 != 0 {
        return Err(DecodeError::BadLength(b.len()));
    }
    let chunks = b.len() / 4;
    let mut out = Vec::with_capacity(chunks * 3);
    for (ci, chunk) in b.chunks(4).enumerate() {
        let last = ci + 1 == chunks;
        let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && last) {
            return Err(DecodeError::BadPadding);
        }
        let mut n: u32 = 0;
        for (j, &c) in chunk[..4 - pad].iter().enumerate() {
            let v = sextet(c).ok_or(DecodeError::BadChar(ci * 4 + j))?;
            n |= v << (18 - 6 * j);
        }
        out.push((n >> 16) as u8);
        if pad < 2 {
            out.push((n >> 8) as u8);
        }
        if pad < 1 {
            out.push(n as u8);
        }
    }
    Ok(out)
}

pub fn hex_encode(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn hex_decode(s: &str) -> Result<Vec<u8>, DecodeError> {
    let b = s.as_bytes();
    if b.len() % 2 != 0 {
        return Err(DecodeError::BadLength(b.len()));
    }
    (0..b.len())
        .step_by(2)
        .map(|i| {
            let hi = (b[i] as char).to_digit(16).ok_or(DecodeError::BadChar(i))?;
            let lo = (b[i + 1] as char).to_digit(16).ok_or(DecodeError::BadChar(i + 1))?;
            Ok((hi << 4 | lo) as u8)
        })
        .collect()
}

/// CRC-32 (IEEE 802.3, reflected, as used by zlib).
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= byte as u32;
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

pub fn encode_frame(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 8);
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&crc32(payload).to_be_bytes());
    out
}

/// Decodes one frame from the front of `buf`. `Ok(None)` means more bytes are
/// needed; on success returns the payload and the number of bytes consumed.
pub fn decode_frame(buf: &[u8]) -> Result<Option<(Vec<u8>, usize)>, FrameError> {
    if buf.len() < 4 {
        return Ok(None);
    }
    let len = u32::from_be_bytes([buf[0], buf[1], buf[2], buf[3]]) as usize;
    if len > MAX_FRAME {
        return Err(FrameError::TooLarge(len));
    }
    let total = 4 + len + 4;
    if buf.len() < total {
        return Ok(None);
    }
    let payload = &buf[4..4 + len];
    let crc = u32::from_be_bytes([buf[4 + len], buf[5 + len], buf[6 + len], buf[7 + len]]);
    if crc != crc32(payload) {
        return Err(FrameError::BadChecksum);
    }
    Ok(Some((payload.to_vec(), total)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_known_vectors() {
        let vectors = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")];
        for (plain, enc) in vectors {
            assert_eq!(b64_encode(plain.as_bytes()), enc);
            assert_eq!(b64_decode(enc).unwrap(), plain.as_bytes());
        }
    }

    #[test]
    fn base64_errors() {
        assert_eq!(b64_decode("Zm9"), Err(DecodeError::BadLength(3)));
        assert_eq!(b64_decode("Zm=v"), Err(DecodeError::BadChar(2)));
        assert_eq!(b64_decode("Zg==Zm9v"), Err(DecodeError::BadPadding));
        assert_eq!(b64_decode("Z==="), Err(DecodeError::BadPadding));
    }

    #[test]
    fn hex_roundtrip() {
        assert_eq!(hex_encode(&[0, 0xab, 0x10, 0xff]), "00ab10ff");
        assert_eq!(hex_decode("00AB10ff").unwrap(), vec![0, 0xab, 0x10, 0xff]);
        assert_eq!(hex_decode("abc"), Err(DecodeError::BadLength(3)));
        assert_eq!(hex_decode("0g"), Err(DecodeError::BadChar(1)));
        assert_eq!(hex_decode("aéb"), Err(DecodeError::BadChar(1)));
    }

    #[test]
    fn crc32_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn frames() {
        let f = encode_frame(b"hello");
        assert_eq!(f.len(), 13);
        assert_eq!(decode_frame(&f), Ok(Some((b"hello".to_vec(), 13))));
        assert_eq!(decode_frame(&f[..12]), Ok(None));
        let mut bad = f.clone();
        bad[5] ^= 1;
        assert_eq!(decode_frame(&bad), Err(FrameError::BadChecksum));
    }

    #[test]
    fn oversized_frame_rejected_early() {
        let header = 0x7fff_ffffu32.to_be_bytes();
        assert_eq!(decode_frame(&header), Err(FrameError::TooLarge(0x7fff_ffff)));
    }
}
