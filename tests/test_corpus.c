/* SPDX-License-Identifier: MIT */
/*
 * Replays every file of fuzz/corpus/<target>/ through that fuzz target's
 * body, without libFuzzer, so the seeds and every crash input that
 * scripts/fuzz saved there stay regression tests. A failed property aborts
 * inside the target. IPV4_FUZZ_DIR (set in tests/CMakeLists.txt) locates
 * fuzz/, and the environment variable of the same name overrides it.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../fuzz/targets.h"

#ifndef IPV4_FUZZ_DIR
#define IPV4_FUZZ_DIR "fuzz"
#endif

static const struct {
	const char *name;
	int (*run)(const uint8_t *data, size_t size);
} targets[] = {
    {"fuzz_header_parse", fuzz_header_parse},
    {"fuzz_header_roundtrip", fuzz_header_roundtrip},
    {"fuzz_control_parse", fuzz_control_parse},
    {"fuzz_control_roundtrip", fuzz_control_roundtrip},
    {"fuzz_options_walk", fuzz_options_walk},
};

/* Reads path into a buffer of exactly its size, so ASan reports over-reads. */
static uint8_t *read_input(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data;
	long len;

	CHECK_FATAL(f != NULL);
	CHECK_FATAL(fseek(f, 0, SEEK_END) == 0);
	len = ftell(f);
	CHECK_FATAL(len >= 0 && fseek(f, 0, SEEK_SET) == 0);
	data = malloc(len > 0 ? (size_t)len : 1);
	CHECK_FATAL(data != NULL);
	CHECK_FATAL(fread(data, 1, (size_t)len, f) == (size_t)len);
	fclose(f);
	*size = (size_t)len;
	return data;
}

/* Runs every regular file of dir through run; returns how many ran. */
static int replay_dir(const char *dir, int (*run)(const uint8_t *, size_t))
{
	char path[4096];
	struct dirent *e;
	uint8_t *data;
	size_t size;
	DIR *d = opendir(dir);
	int count = 0, len;

	if (d == NULL) {
		fprintf(stderr, "cannot open %s: %s\n", dir, strerror(errno));
		check_failures++;
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		len = snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		CHECK_FATAL(len > 0 && (size_t)len < sizeof(path));
		data = read_input(path, &size);
		/* Printed first, because a failed property aborts. */
		printf("%s\n", path);
		fflush(stdout);
		run(data, size);
		free(data);
		count++;
	}
	closedir(d);
	return count;
}

int main(void)
{
	const char *fuzz_dir = getenv("IPV4_FUZZ_DIR");
	char dir[4096];
	size_t i;
	int n;

	if (fuzz_dir == NULL)
		fuzz_dir = IPV4_FUZZ_DIR;
	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		snprintf(dir, sizeof(dir), "%s/corpus/%s", fuzz_dir,
			 targets[i].name);
		n = replay_dir(dir, targets[i].run);
		/* An empty corpus would make this test pass vacuously. */
		CHECK(n > 0);
		printf("%s: %d inputs passed\n", targets[i].name, n);
	}
	return check_exit();
}
