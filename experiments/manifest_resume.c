// SPDX-License-Identifier: GPL-2.0
/*
 * The resume set: which (configuration, block) pairs already have a record in
 * samples.jsonl. A pair with only disturbed records is open while its row has
 * redos left.
 */
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "disturbance.h"
#include "manifest.h"
#include "results.h"

static void mark_done(const cJSON *rec, void *arg)
{
	struct resume_set *d = arg;
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(rec, "config");
	const cJSON *block = cJSON_GetObjectItemCaseSensitive(rec, "block");
	int i;

	if (!cJSON_IsString(name) || !cJSON_IsNumber(block) || block->valueint < 0 ||
	    block->valueint >= d->blocks)
		return;
	for (i = 0; i < d->m->n; i++) {
		unsigned char *slot = &d->slots[i * d->blocks + block->valueint];

		if (strcmp(d->m->configs[i].name, name->valuestring))
			continue;
		disturbance_note(d->dist, i, rec);
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "disturbed")) &&
		    !cJSON_GetObjectItemCaseSensitive(rec, "error")) {
			if (*slot == SLOT_OPEN)
				*slot = SLOT_DISTURBED;
			continue;
		}
		d->count += *slot != SLOT_DONE;
		*slot = SLOT_DONE;
	}
}

/* After every record is read: disturbed-only pairs of rows out of redos are done. */
static void close_disturbed(struct resume_set *d)
{
	int i, b;

	for (i = 0; i < d->m->n; i++) {
		for (b = 0; b < d->blocks; b++) {
			unsigned char *slot = &d->slots[i * d->blocks + b];

			if (*slot != SLOT_DISTURBED)
				continue;
			*slot = disturbance_redos_left(d->dist, i) ? SLOT_OPEN : SLOT_DONE;
			d->count += *slot == SLOT_DONE;
		}
	}
}

int resume_set_load(struct resume_set *d, const char *dir, const struct matrix *m, int blocks,
		    struct disturbance *dist, char *err, size_t errlen)
{
	*d = (struct resume_set){ .m = m, .blocks = blocks, .dist = dist };
	d->slots = calloc((size_t)m->n * blocks, 1);
	if (!d->slots) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (results_each(dir, mark_done, d, err, errlen) < 0)
		return -1;
	close_disturbed(d);
	return 0;
}

bool resume_set_done(const struct resume_set *d, int row, int block)
{
	return d->slots[row * d->blocks + block] == SLOT_DONE;
}

void resume_set_mark(struct resume_set *d, int row, int block)
{
	d->slots[row * d->blocks + block] = SLOT_DONE;
}

void resume_set_free(struct resume_set *d)
{
	free(d->slots);
	d->slots = NULL;
}
