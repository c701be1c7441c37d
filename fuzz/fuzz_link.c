/*
 * libFuzzer target: github_link_next(), the Link header parser, on any
 * bytes. Checks that a found target is a substring of the input between
 * '<' and '>'.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "github.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size), *next;

	next = github_link_next(s);
	if (next) {
		char *needle = xstrfmt("<%s>", next);

		if (!*next || strchr(next, '>') || !strstr(s, needle))
			abort();
		free(needle);
		free(next);
	}
	free(s);
	return 0;
}
