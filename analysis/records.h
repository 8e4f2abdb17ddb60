// SPDX-License-Identifier: GPL-2.0
/* One parsed line of samples.jsonl; absent or JSON-null numbers are NAN. */
#ifndef BPFCOST_ANALYSIS_RECORDS_H
#define BPFCOST_ANALYSIS_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define REC_NAME_LEN 96
#define REC_ALSO_MAX 4

/*
 * The primary metric a workload declared, copied into every record: value =
 * record[field] * scale, in unit. Records without one are the iperf flood's.
 */
struct rec_metric {
	char name[48];	/* "bitrate", "time per call" */
	char field[48]; /* "rx_bps" */
	char unit[32];	/* "Mbit/s", "ns/call", "instructions/call" */
	double scale;
	bool higher_is_better;
	char event[16]; /* what hits are counted per: "packet", "call" */
	char clock[16]; /* "real" or "instructions" */
	/* Further metrics in the same unit and scale (latency percentiles): "also". */
	struct {
		char name[24];
		char field[24];
		bool terminal;	 /* table.txt shows it too */
		double quantile; /* of the distribution it is a point of; NAN: none */
	} also[REC_ALSO_MAX];
	double quantile; /* the primary metric's, as the also-metrics'; NAN: none */
	size_t n_also;
	char absent[32]; /* what a record without an also-field means: "too few round trips" */
};

struct record {
	int line;	    /* 1-based line in samples.jsonl, for messages */
	int schema_version; /* RECORD_SCHEMA_VERSION it was written with; 1: before the field */
	char config[REC_NAME_LEN];
	char attach[REC_NAME_LEN]; /* "" for baseline */
	char probe[REC_NAME_LEN];  /* "" for baseline */
	bool stats;
	bool baseline;
	int block, sample, order;
	struct rec_metric metric;
	double value;	  /* the metric, in its unit; normalised by run_normalise() */
	double raw_value; /* the metric as recorded */
	double ref_ns;	  /* the reference (getppid) time per call paired with it; NAN: none */
	double also[REC_ALSO_MAX]; /* metric.also's, in the unit; NAN: absent */
	double rx_bps, rx_bytes, rx_packets, rx_pps;
	double lost_percent, duration_s;
	double cpu_host_percent, cpu_remote_percent;
	double run_cnt, run_time_ns;
	double hits; /* program runs per event: hits_per_event (hits_per_packet before) */
	double spin_ns;
	bool has_hits_ok, hits_ok;
	char hits_source[16];
	char mechanism[32];
	/*
	 * The runner saw other work on the host during the sample ("disturbed":
	 * true): kept in the folder, redone, never used in statistics. The figures
	 * are the record's "interference" object (NAN when absent).
	 */
	bool disturbed;
	char disturbed_why[128];
	double foreign_cpu, psi_some_pct, steal_pct;
	bool failed;	  /* the record carries "error": never used in statistics */
	bool unsupported; /* the kernel cannot do this attach type */
	char error[256];
};

struct record_set {
	struct record *v;
	size_t n, cap;
	size_t n_malformed;  /* skipped lines, duplicates included */
	size_t n_duplicates; /* second records of one (configuration, block) */
	int first_malformed_line;
};

int record_parse(const char *line, struct record *r, char *why, size_t whylen);
/*
 * Split a configuration name ("kprobe-fprobe-null-stat@spin_ns=5") into attach,
 * probe and stats, given the attach names known (NULL-terminated; longest match
 * wins). For records that lack the attach and probe fields.
 */
void record_split_config(const char *config, const char *const *attach_names, char *attach,
			 char *probe, size_t len, bool *stats);
/* Past these, the whole file is refused (-EFBIG): memory stays bounded. */
#define RECORDS_MAX	1000000
#define RECORD_LINE_MAX 65536 /* a longer line is skipped as malformed */
/* samples.jsonl at @path: a regular file, not followed if a link (see analysis/files.h). */
int records_load(const char *path, struct record_set *set, FILE *diag);
/* The same from an open file; @path names it in messages. A read error is an error. */
int records_load_file(FILE *f, const char *path, struct record_set *set, FILE *diag);
void records_free(struct record_set *set);

#endif
