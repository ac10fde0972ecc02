use wirecodec::*;

fn sample(len: usize, seed: u32) -> Vec<u8> {
    let mut s = seed;
    (0..len)
        .map(|_| {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (s >> 24) as u8
        })
        .collect()
}

#[test]
fn base64_roundtrip_all_lengths() {
    for len in 0..80 {
        let data = sample(len, len as u32);
        let enc = b64_encode(&data);
        assert_eq!(enc.len(), len.div_ceil(3) * 4);
        assert_eq!(enc.matches('=').count(), (3 - len % 3) % 3);
        assert_eq!(b64_decode(&enc).unwrap(), data, "len {len}");
    }
    assert_eq!(b64_encode(&[0xff, 0xfe, 0xfd]), "//79");
    assert_eq!(b64_decode("+/+/").unwrap(), vec![0xfb, 0xff, 0xbf]);
    assert_eq!(b64_encode(b"any carnal pleas"), "YW55IGNhcm5hbCBwbGVhcw==");
}

#[test]
fn base64_rejections() {
    assert_eq!(b64_decode("===="), Err(DecodeError::BadPadding));
    assert_eq!(b64_decode("A==="), Err(DecodeError::BadPadding));
    assert_eq!(b64_decode("Zg==Zg=="), Err(DecodeError::BadPadding));
    assert_eq!(b64_decode("Zm9v!A=="), Err(DecodeError::BadChar(4)));
    assert_eq!(b64_decode("Zm 9"), Err(DecodeError::BadChar(2)));
    assert_eq!(b64_decode("Zm9vY"), Err(DecodeError::BadLength(5)));
    assert_eq!(b64_decode("é=="), Err(DecodeError::BadChar(0)));
    assert_eq!(b64_decode("").unwrap(), Vec::<u8>::new());
}

#[test]
fn hex_rejections_never_panic() {
    for (s, e) in [
        ("zz", DecodeError::BadChar(0)),
        ("+f", DecodeError::BadChar(0)),
        ("-1", DecodeError::BadChar(0)),
        ("0x", DecodeError::BadChar(1)),
        ("éé", DecodeError::BadChar(0)),
        ("00aéb", DecodeError::BadChar(3)),
        ("a", DecodeError::BadLength(1)),
    ] {
        assert_eq!(hex_decode(s), Err(e), "{s:?}");
    }
    let data = sample(300, 9);
    assert_eq!(hex_decode(&hex_encode(&data)).unwrap(), data);
    assert_eq!(hex_decode(&hex_encode(&data).to_uppercase()).unwrap(), data);
}

#[test]
fn crc32_vectors() {
    assert_eq!(crc32(b"a"), 0xE8B7_BE43);
    assert_eq!(crc32(b"The quick brown fox jumps over the lazy dog"), 0x414F_A339);
    assert_eq!(crc32(&[0u8; 32]), 0x190A_55AD);
    assert_ne!(crc32(&[0u8; 4]), crc32(&[0u8; 5]));
}

#[test]
fn frame_stream() {
    let payloads: Vec<Vec<u8>> = (0..20).map(|i| sample(i * 37, i as u32)).collect();
    let mut stream = Vec::new();
    for p in &payloads {
        stream.extend(encode_frame(p));
    }
    let mut pos = 0;
    for p in &payloads {
        for cut in [0, 3, 4, 7 + p.len()] {
            assert_eq!(decode_frame(&stream[pos..pos + cut]), Ok(None));
        }
        let (got, used) = decode_frame(&stream[pos..]).unwrap().unwrap();
        assert_eq!(&got, p);
        assert_eq!(used, p.len() + 8);
        pos += used;
    }
    assert_eq!(pos, stream.len());
}

#[test]
fn frame_limits() {
    let max = vec![7u8; MAX_FRAME];
    let f = encode_frame(&max);
    assert_eq!(decode_frame(&f).unwrap().unwrap().0.len(), MAX_FRAME);
    assert_eq!(decode_frame(&f[..MAX_FRAME]), Ok(None));
    let over = ((MAX_FRAME + 1) as u32).to_be_bytes();
    assert_eq!(decode_frame(&over), Err(FrameError::TooLarge(MAX_FRAME + 1)));
    assert_eq!(decode_frame(&u32::MAX.to_be_bytes()), Err(FrameError::TooLarge(u32::MAX as usize)));
    let mut bad = encode_frame(b"");
    *bad.last_mut().unwrap() ^= 0x80;
    assert_eq!(decode_frame(&bad), Err(FrameError::BadChecksum));
}
