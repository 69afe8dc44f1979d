#ifndef RAPPORT_CZLIB_SHIM_H
#define RAPPORT_CZLIB_SHIM_H
#include <zlib.h>

/// inflateInit2 is a macro; Swift sees this function instead.
static inline int rapport_inflate_init_gzip(z_streamp stream) {
    /* 15 + 16: a gzip wrapper, whose CRC-32 and length trailer zlib checks. */
    return inflateInit2(stream, 15 + 16);
}

/// deflateInit2 likewise: a gzip member at the default level (tests and tools compress with it).
static inline int rapport_deflate_init_gzip(z_streamp stream) {
    return deflateInit2(stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
#endif
