#include "fsutil.h"

#include "buf.h"
#include "msg.h"

#include <errno.h>
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

int fs_is_root(const char *path)
{
	struct buf b = BUF_INIT;
	char *real, *cwd;
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
	cwd = path[0] == '/' ? NULL : getcwd(NULL, 0);
	buf_adds(&b, cwd ? cwd : "/");
	fold_path(&b, path);
	root = !strcmp(b.s, "/");
	free(cwd);
	buf_release(&b);
	return root;
}
