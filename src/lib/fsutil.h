#ifndef SPIN_GATE_FSUTIL_H
#define SPIN_GATE_FSUTIL_H
/*
 * fsutil: small filesystem helpers. All return 0, or -1 after error().
 */
#include <stddef.h>

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
/* path made absolute against the current directory, "." and ".." folded
 * (symbolic links kept); caller frees. A path a child process is given
 * must be absolute when the child runs elsewhere (a setup in a worktree). */
char *fs_absolute(const char *path);
/*
 * Cap a log that grows by appends: once it is longer than head + tail
 * bytes (and the marker), keep its first `head` and its last `tail` bytes
 * with one marker line between them saying how many bytes were dropped
 * there ("[spin-gate: 3145728 bytes of output dropped here ...]"). Called
 * again after more appends, the count goes on from *c (which starts
 * zeroed, one per file; an earlier marker is not counted as output).
 * Cuts are at byte offsets, not lines. 0 (also when the file is missing or
 * short), or -1 after error().
 */
struct fs_cap {
	unsigned long long dropped; /* bytes of output dropped so far */
	size_t mark_len;	    /* the marker's length in the file, 0: none */
};
int fs_cap_file(const char *path, size_t head, size_t tail, struct fs_cap *c);
/* Write text to path (not atomic; for small stamps). */
int fs_write_text(const char *path, const char *text);
/* Print the last `lines` lines of a file under a message, indented and
 * sanitized (msg_quote); for logs. */
void fs_tail_to_stderr(const char *path, int lines);

#endif
