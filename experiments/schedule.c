// SPDX-License-Identifier: GPL-2.0
#include "schedule.h"

/* splitmix64: tiny, well mixed, and the same on every machine. */
static uint64_t next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void schedule_block(uint64_t seed, int block, int n, int *order)
{
	uint64_t state = seed ^ ((uint64_t)block * 0xd1b54a32d192ed03ULL);
	int i;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {
		int j = (int)(next(&state) % (uint64_t)(i + 1)), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
}
