// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/run.h"

static int cfg_cmp(const void *a, const void *b)
{
	const struct row_stats *x = a, *y = b;
	int c;

	if (x->baseline != y->baseline)
		return x->baseline ? -1 : 1;
	c = strcmp(x->attach, y->attach);
	if (c)
		return c;
	c = strcmp(x->probe, y->probe);
	if (c)
		return c;
	if (x->stats != y->stats)
		return x->stats ? 1 : -1;
	return strverscmp(x->name, y->name); /* spin_ns=50 before spin_ns=100 */
}

static const struct record *group_recs;

/* By name, then file order: each configuration's records side by side, in order. */
static int rec_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(group_recs[x].config, group_recs[y].config);

	return c ? c : (x > y) - (x < y);
}

static void cfg_init(struct row_stats *c, const struct record *r)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->name, r->config, sizeof(c->name));
	memcpy(c->attach, r->attach, sizeof(c->attach));
	memcpy(c->probe, r->probe, sizeof(c->probe));
	c->stats = r->stats;
	c->baseline = r->baseline;
}

static int int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * Blocks where a row has a disturbed record and no clean one: the runner ran
 * out of redos there (or was stopped before the redo).
 */
static int count_unclean(struct row_stats *c)
{
	int *blocks, *seen;
	size_t i, n = 0, n_seen = 0;

	c->n_unclean = 0;
	if (!c->n_disturbed)
		return 0;
	blocks = calloc(c->n_ok + 1, sizeof(*blocks));
	seen = calloc(c->n_disturbed + 1, sizeof(*seen));
	if (!blocks || !seen) {
		free(blocks);
		free(seen);
		return -ENOMEM;
	}
	for (i = 0; i < c->n_ok; i++)
		blocks[n++] = c->ok[i]->block;
	qsort(blocks, n, sizeof(*blocks), int_cmp);
	for (i = 0; i < c->n_disturbed; i++)
		if (!bsearch(&c->disturbed[i]->block, blocks, n, sizeof(int), int_cmp))
			seen[n_seen++] = c->disturbed[i]->block;
	qsort(seen, n_seen, sizeof(*seen), int_cmp);
	for (i = 0; i < n_seen; i++)
		c->n_unclean += !i || seen[i] != seen[i - 1];
	free(blocks);
	free(seen);
	return 0;
}

/* Sorted, not searched: O(n log n) however many configurations a file names. */
int run_group(struct run *run)
{
	size_t n = run->recs.n, *ix = calloc(n + 1, sizeof(*ix)), i, j, groups = 0;

	if (!ix)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		ix[i] = i;
	group_recs = run->recs.v;
	qsort(ix, n, sizeof(*ix), rec_cmp);
	for (i = 0; i < n; i++)
		groups += !i || strcmp(run->recs.v[ix[i - 1]].config, run->recs.v[ix[i]].config);
	run->rows = calloc(groups + 1, sizeof(*run->rows));
	if (!run->rows) {
		free(ix);
		return -ENOMEM;
	}
	for (i = 0; i < n; i = j) {
		struct row_stats *c = &run->rows[run->n_rows++];

		for (j = i; j < n && !strcmp(run->recs.v[ix[j]].config, run->recs.v[ix[i]].config);
		     j++)
			;
		cfg_init(c, &run->recs.v[ix[i]]);
		/* Pointers into recs stay valid: recs is not resized after loading. */
		c->ok = calloc(j - i, sizeof(*c->ok));
		c->disturbed = calloc(j - i, sizeof(*c->disturbed));
		if (!c->ok || !c->disturbed) {
			free(ix);
			return -ENOMEM;
		}
		for (size_t k = i; k < j; k++) {
			const struct record *r = &run->recs.v[ix[k]];

			if (r->failed) {
				c->n_err++;
				c->n_unsupported += r->unsupported;
				if (!c->first_error)
					c->first_error = r->error;
				run->n_failed++;
				continue;
			}
			/* Kept in the folder, never in a statistic: the runner redid it. */
			if (r->disturbed) {
				c->disturbed[c->n_disturbed++] = r;
				if (!c->first_disturbed)
					c->first_disturbed = r->disturbed_why;
				run->n_disturbed++;
				continue;
			}
			c->ok[c->n_ok++] = r;
		}
		if (count_unclean(c)) {
			free(ix);
			return -ENOMEM;
		}
	}
	free(ix);
	qsort(run->rows, run->n_rows, sizeof(*run->rows), cfg_cmp);
	run->baseline = NULL;
	for (i = 0; i < run->n_rows; i++)
		if (run->rows[i].baseline && run->rows[i].n_ok)
			run->baseline = &run->rows[i];
	return 0;
}

const struct row_stats *run_find_row(const struct run *run, const char *name)
{
	size_t i;

	for (i = 0; i < run->n_rows; i++)
		if (!strcmp(run->rows[i].name, name))
			return &run->rows[i];
	return NULL;
}

void run_free(struct run *run)
{
	size_t i;

	for (i = 0; i < run->n_rows; i++) {
		free(run->rows[i].ok);
		free(run->rows[i].disturbed);
	}
	free(run->rows);
	records_free(&run->recs);
	memset(run, 0, sizeof(*run));
}
