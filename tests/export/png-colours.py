#!/usr/bin/env python3
"""Count the pixels of a PNG near each given colour (the standard library
only: zlib and the five PNG filters; 8-bit RGB or RGBA, not interlaced, as
chromium's screenshots are).

    python3 png-colours.py IMAGE.png '#0072B2' '#E69F00' ...

Prints "COLOUR COUNT" a line; a pixel counts for a colour when each channel
is within 8 of it (anti-aliased edges do not count)."""
import struct
import sys
import zlib


def pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"png-colours.py: error: '{path}' is not a PNG")
    pos, idat, head = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    w, h, depth, ctype, _, _, interlace = head
    if depth != 8 or ctype not in (2, 6) or interlace:
        sys.exit(f"png-colours.py: error: '{path}': only 8-bit RGB(A), not interlaced")
    bpp = 3 if ctype == 2 else 4
    raw, stride, prev, out = zlib.decompress(idat), w * bpp, bytearray(w * bpp), []
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out.append(line)
        prev = line
    for line in out:
        for x in range(w):
            yield tuple(line[x * bpp:x * bpp + 3])


def main():
    path, colours = sys.argv[1], sys.argv[2:]
    want = [tuple(int(c.lstrip("#")[k:k + 2], 16) for k in (0, 2, 4)) for c in colours]
    counts = [0] * len(want)
    for px in pixels(path):
        for k, rgb in enumerate(want):
            if all(abs(px[i] - rgb[i]) <= 8 for i in range(3)):
                counts[k] += 1
    for c, n in zip(colours, counts):
        print(c, n)


main()
