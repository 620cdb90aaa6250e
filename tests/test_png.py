"""The PNG encoder: every file decodes, with an independent reader, to the exact pixels."""

import struct
import zlib

import numpy as np

from maamar_live.kit import png
from maamar_live.kit.png import png_bytes
from maamar_live.models import cppn

CHANNELS = {0: 1, 2: 3, 3: 1}  # greyscale, truecolour, palette


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, found = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF, kind
        found.append((kind, body))
        pos += 12 + length
    assert found[0][0] == b"IHDR" and found[-1][0] == b"IEND"
    return found


def colour_type(data: bytes) -> int:
    return chunks(data)[0][1][9]


def decode_png(data: bytes) -> np.ndarray:
    """A minimal independent PNG reader (8-bit greyscale, truecolour or palette;
    filters 0–4), written from RFC 2083 to check the encoder: ``(h, w, 3)`` uint8."""
    found = chunks(data)
    width, height, depth, colour, comp, filt, interlace = struct.unpack(">IIBBBBB", found[0][1])
    assert (depth, comp, filt, interlace) == (8, 0, 0, 0) and colour in CHANNELS
    bpp = CHANNELS[colour]
    raw = zlib.decompress(b"".join(body for kind, body in found if kind == b"IDAT"))
    stride = width * bpp
    assert len(raw) == height * (stride + 1)
    out = np.zeros((height, stride), dtype=np.int32)
    for y in range(height):
        ftype, row = raw[y * (stride + 1)], np.frombuffer(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)], np.uint8)
        up = out[y - 1] if y else np.zeros(stride, np.int32)
        cur = out[y]
        for x in range(stride):
            a = cur[x - bpp] if x >= bpp else 0
            b = up[x]
            c = up[x - bpp] if x >= bpp else 0
            if ftype == 0:
                pred = 0
            elif ftype == 1:
                pred = a
            elif ftype == 2:
                pred = b
            elif ftype == 3:
                pred = (a + b) // 2
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
            cur[x] = (int(row[x]) + pred) & 0xFF
    samples = out.reshape(height, width, bpp).astype(np.uint8)
    if colour == 0:
        return np.repeat(samples, 3, axis=2)
    if colour == 3:
        palette = np.frombuffer(dict(found)[b"PLTE"], np.uint8).reshape(-1, 3)
        assert samples.max() < len(palette)
        return palette[samples[..., 0]]
    return samples


def picture(size=24):
    return cppn.draw(cppn.prompt_vector(cppn.concepts("חתול בשקיעה"), 0), size)


def test_png_decodes_to_the_array():
    rng = np.random.default_rng(0)
    for image in (
        picture(),
        rng.integers(0, 256, (7, 5, 3), dtype=np.uint8),
        np.zeros((1, 1, 3), np.uint8),
        np.full((3, 9, 3), 255, np.uint8),
    ):
        data = png_bytes(image)
        assert data[:8] == png.PNG_SIGNATURE
        assert data[12:16] == b"IHDR" and struct.unpack(">II", data[16:24]) == (image.shape[1], image.shape[0])
        assert np.array_equal(decode_png(data), image)


def test_grey_pictures_are_stored_as_greyscale_exactly():
    ramp = np.add.outer(np.arange(20), np.arange(30)).astype(np.uint8) * 4
    image = np.repeat(ramp[..., None], 3, axis=2)
    data = png_bytes(image)
    assert colour_type(data) == 0
    assert np.array_equal(decode_png(data), image)
    almost = image.copy()
    almost[5, 7, 2] ^= 1  # one sample off grey: no longer greyscale
    assert colour_type(png_bytes(almost)) != 0
    assert np.array_equal(decode_png(png_bytes(almost)), almost)


def test_few_colours_use_a_palette_exactly():
    rng = np.random.default_rng(1)
    colours = rng.integers(0, 256, (256, 3), dtype=np.uint8)
    image = colours[rng.integers(0, 256, (16, 40))]
    data = png_bytes(image)
    assert colour_type(data) == 3
    assert np.array_equal(decode_png(data), image)
    many = rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)  # ~1000 colours: truecolour
    assert colour_type(png_bytes(many)) == 2
    assert np.array_equal(decode_png(png_bytes(many)), many)


def test_smooth_picture_is_smaller_than_the_level_6_heuristic_alone():
    image = picture(64)
    baseline = zlib.compress(png._filtered_rows(image).tobytes(), 6)
    body = dict(chunks(png_bytes(image)))[b"IDAT"]
    assert len(body) < len(baseline)
    assert np.array_equal(decode_png(png_bytes(image)), image)


def test_rounding_moves_no_sample_further_than_max_error():
    ramp = np.repeat(np.arange(256, dtype=np.uint8).reshape(1, 256, 1), 3, axis=2)
    noise = np.random.default_rng(2).integers(0, 256, (9, 11, 3), dtype=np.uint8)
    for image in (ramp, noise, picture(32)):
        assert np.array_equal(decode_png(png_bytes(image, 0)), image)  # 0: exact
        for max_error in (1, 2, 3, 4):
            decoded = decode_png(png_bytes(image, max_error))
            assert np.abs(decoded.astype(int) - image).max() <= max_error
    levels = np.unique(png.rounded(ramp, 2))
    assert len(levels) == 52 and levels[0] == 0 and levels[-1] == 255 and set(np.diff(levels)) == {5}


def test_generated_pictures_are_near_lossless_and_much_smaller():
    """picture_url (the prompt widgets' pictures) rounds within PICTURE_MAX_ERROR:
    PSNR at least 45 dB, and a smooth picture takes well under two thirds of the bytes."""
    import base64

    from maamar_live.kit.png import PICTURE_MAX_ERROR, picture_url

    key = cppn.concepts("חתול בשקיעה")
    exact = cppn.picture(key, 128, 0)
    url = picture_url(cppn.picture, key, 128, 0)
    decoded = decode_png(base64.b64decode(url.split(",", 1)[1]))
    error = decoded.astype(float) - exact
    assert PICTURE_MAX_ERROR == 2 and np.abs(error).max() <= PICTURE_MAX_ERROR
    assert 10 * np.log10(255**2 / (error**2).mean()) >= 45
    assert len(png_bytes(exact, PICTURE_MAX_ERROR)) < 0.65 * len(png_bytes(exact))
    assert not exact.flags.writeable  # the exact pixels, which widgets measure, are left as they were


def test_a_picture_is_a_data_url_live_and_a_file_at_build_time():
    """Outside ``picture_files`` (the browser, every live call) a generated picture is a
    data: URL; inside (the build's pre-render) it is a file URL relative to the page,
    named by its bytes, recorded once however often it is shown, with the very bytes
    the data: URL carries.  Leaving restores data: URLs: the cache holds bytes, not URLs."""
    import base64
    import hashlib

    from maamar_live.kit.png import PICTURE_MAX_ERROR, picture_files, picture_png, picture_url

    picture_png.cache_clear()
    key = cppn.concepts("חתול בשקיעה")
    with picture_files("../") as files:
        built = picture_url(cppn.picture, key, 64, 0)
        again = picture_url(cppn.picture, key, 64, 0)
    live = picture_url(cppn.picture, key, 64, 0)
    assert live.startswith("data:image/png;base64,")
    data = base64.b64decode(live.split(",", 1)[1])
    path = "assets/pictures/" + hashlib.sha256(data).hexdigest()[:16] + ".png"
    assert built == again == "../" + path
    assert files.files == {path: data}
    assert data == png_bytes(cppn.picture(key, 64, 0), PICTURE_MAX_ERROR)
    with picture_files() as top:
        assert picture_url(cppn.picture, key, 64, 0) == path  # a page at the site's top
    assert top.files == {path: data} and files.files == {path: data}
