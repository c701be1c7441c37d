#include "fsutil.h"

#include "buf.h"
#include "msg.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fs_mkdir_p(const char *path)
{
	struct buf b = BUF_INIT;
	char *p;
	int ret = -1;

	buf_adds(&b, path);
	for (p = b.s + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;

			*p = '\0';
			if (mkdir(b.s, 0755) < 0 && errno != EEXIST) {
				error_errno("cannot create directory '%s'", b.s);
				goto out;
			}
			*p = c;
			if (!c)
				break;
		}
	}
	ret = 0;
out:
	buf_release(&b);
	return ret;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if ((flag == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT)
		return error_errno("cannot remove '%s'", path);
	return 0;
}

int fs_rm_rf(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : error_errno("cannot remove '%s'", path);
	if (nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS) != 0)
		return -1;
	return 0;
}

int fs_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int fs_write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return error_errno("cannot write '%s'", path);
	fputs(text, f);
	if (fclose(f) != 0)
		return error_errno("cannot write '%s'", path);
	return 0;
}

void fs_tail_to_stderr(const char *path, int lines)
{
	struct buf b = BUF_INIT;
	const char *p;
	int n = 0;

	if (buf_read_file(&b, path) < 0 || !b.len)
		goto out;
	p = b.s + b.len;
	if (p > b.s && p[-1] == '\n')
		p--;
	while (p > b.s) {
		if (p[-1] == '\n' && ++n >= lines)
			break;
		p--;
	}
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		msg_quote(p, len);
		p += len + (nl ? 1 : 0);
	}
out:
	buf_release(&b);
}

/* Append the components of `path` to the absolute path in b, folding "."
 * and ".." as the kernel would if no component were a symbolic link. */
static void fold_path(struct buf *b, const char *path)
{
	const char *p = path, *end;

	for (; *p; p = end) {
		size_t n;

		while (*p == '/')
			p++;
		end = strchrnul(p, '/');
		n = (size_t)(end - p);
		if (!n || (n == 1 && p[0] == '.'))
			continue;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (b->len > 1 && b->s[b->len - 1] != '/')
				b->len--;
			if (b->len > 1)
				b->len--;
			b->s[b->len] = '\0';
			continue;
		}
		if (b->len > 1)
			buf_addch(b, '/');
		buf_add(b, p, n);
	}
}

char *fs_absolute(const char *path)
{
	struct buf b = BUF_INIT;
	char *cwd = path[0] == '/' ? NULL : getcwd(NULL, 0);

	buf_adds(&b, cwd ? cwd : "/");
	fold_path(&b, path);
	free(cwd);
	return buf_detach(&b);
}

int fs_is_root(const char *path)
{
	char *real, *abs;
	int root;

	if (!*path)
		return 1;
	real = realpath(path, NULL);
	if (real) {
		root = !strcmp(real, "/");
		free(real);
		return root;
	}
	/* not there yet: what it would be once created */
	abs = fs_absolute(path);
	root = !strcmp(abs, "/");
	free(abs);
	return root;
}

/* "64 KiB", "1 MiB", or bytes. */
static void fmt_size(struct buf *b, size_t n)
{
	if (n >= 1048576 && n % 1048576 == 0)
		buf_addf(b, "%zu MiB", n / 1048576);
	else if (n >= 1024 && n % 1024 == 0)
		buf_addf(b, "%zu KiB", n / 1024);
	else
		buf_addf(b, "%zu bytes", n);
}

static int write_all(int fd, const char *p, size_t n, off_t at)
{
	while (n) {
		ssize_t w = pwrite(fd, p, n, at);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
		at += w;
	}
	return 0;
}

int fs_cap_file(const char *path, size_t head, size_t tail, struct fs_cap *c)
{
	struct buf keep = BUF_INIT, mark = BUF_INIT;
	struct stat st;
	size_t got = 0;
	int fd, ret = -1;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : error_errno("cannot open '%s'", path);
	if (fstat(fd, &st) < 0) {
		error_errno("cannot read '%s'", path);
		goto out;
	}
	/* only a file longer than what is kept is cut */
	if ((unsigned long long)st.st_size <= head + c->mark_len + tail) {
		ret = 0;
		goto out;
	}
	buf_grow(&keep, tail);
	while (got < tail) {
		ssize_t n = pread(fd, keep.s + got, tail - got, st.st_size - (off_t)(tail - got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			error_errno("cannot read '%s'", path);
			goto out;
		}
		got += (size_t)n;
	}
	/* what lies between head and tail, but for an earlier marker */
	c->dropped += (unsigned long long)st.st_size - head - tail - c->mark_len;
	buf_addf(&mark,
		 "\n[spin-gate: %llu bytes of output dropped here; a scenario log keeps its first ",
		 c->dropped);
	fmt_size(&mark, head);
	buf_adds(&mark, " and its last ");
	fmt_size(&mark, tail);
	buf_adds(&mark, "]\n");
	if (write_all(fd, mark.s, mark.len, (off_t)head) < 0 ||
	    write_all(fd, keep.s, tail, (off_t)(head + mark.len)) < 0 ||
	    ftruncate(fd, (off_t)(head + mark.len + tail)) < 0) {
		error_errno("cannot cut '%s'", path);
		goto out;
	}
	c->mark_len = mark.len;
	ret = 0;
out:
	close(fd);
	buf_release(&keep);
	buf_release(&mark);
	return ret;
}
