// SPDX-License-Identifier: GPL-2.0
/* One parsed line of samples.jsonl; absent or JSON-null numbers are NAN. */
#ifndef BPFCOST_ANALYSIS_RECORDS_H
#define BPFCOST_ANALYSIS_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define REC_NAME_LEN 96

struct record {
	int line; /* 1-based line in samples.jsonl, for messages */
	char config[REC_NAME_LEN];
	char attach[REC_NAME_LEN]; /* "" for baseline */
	char probe[REC_NAME_LEN];  /* "" for baseline */
	bool stats;
	bool baseline;
	int block, sample, order;
	double rx_bps, rx_bytes, rx_packets, rx_pps;
	double lost_percent, duration_s;
	double cpu_host_percent, cpu_remote_percent;
	double run_cnt, run_time_ns;
	double hits_per_packet;
	double spin_ns;
	bool has_hits_ok, hits_ok;
	char hits_source[16];
	char mechanism[32];
	bool failed;	  /* the record carries "error": never used in statistics */
	bool unsupported; /* the kernel cannot do this attach type */
	char error[256];
};

struct record_set {
	struct record *v;
	size_t n, cap;
	size_t n_malformed;
	int first_malformed_line;
};

int record_parse(const char *line, struct record *r, char *why, size_t whylen);
void record_split_config(const char *config, char *attach, char *probe, size_t len, bool *stats);
int records_load(const char *path, struct record_set *set, FILE *diag);
void records_free(struct record_set *set);

#endif
