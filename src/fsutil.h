#ifndef SPIN_GATE_FSUTIL_H
#define SPIN_GATE_FSUTIL_H
/*
 * fsutil: small filesystem helpers. All return 0, or -1 after error().
 */

/* mkdir -p with mode 0755. */
int fs_mkdir_p(const char *path);
/* rm -rf; a missing path is not an error. Never follows symlinks. */
int fs_rm_rf(const char *path);
/* 1 when path exists (any type), else 0. */
int fs_exists(const char *path);
/* 1 when path is "/" or would be once created (after symbolic links, or
 * "." and ".." for a path not there yet), and for "" (which a caller
 * joining "DIR/name" would turn into "/name"); else 0. No message. */
int fs_is_root(const char *path);
/* Write text to path (not atomic; for small stamps). */
int fs_write_text(const char *path, const char *text);
/* Print the last `lines` lines of a file under a message, indented and
 * sanitized (msg_quote); for logs. */
void fs_tail_to_stderr(const char *path, int lines);

#endif
