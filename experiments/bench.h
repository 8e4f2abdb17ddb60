/* SPDX-License-Identifier: GPL-2.0 */
/* bpfcost-bench's benchmarks (bench_*.c) and what they share (bench_common.c). */
#ifndef BPFCOST_BENCH_H
#define BPFCOST_BENCH_H

struct run;

/* Where each benchmark's bpfcost-run folders go (-o). */
extern const char *bench_out_root;

/* Run @argv with our stdout and stderr, up to 3 h; 0 only when it exited 0. */
int bench_run_tool(char *const argv[]);
/*
 * One bpfcost-run into a fresh folder under bench_out_root/@label; @extra is a
 * NULL-terminated argv tail. Loads and analyses the result into @run.
 */
int bench_measure(const char *label, char *const *extra, struct run *run, double *seconds);
/* A matrix file of @rows (NULL-terminated), one a line. */
int bench_write_matrix(const char *path, const char *const *rows);

/* Each benchmark takes the samples per row (-n) as given on the command line. */
int bench_host(const char *n);
int bench_guest(const char *n);
int bench_ladders(const char *n);
int bench_flood(const char *n);
int bench_disturb(const char *n);
int bench_report(const char *n);

#endif /* BPFCOST_BENCH_H */
