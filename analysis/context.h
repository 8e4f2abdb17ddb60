/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a run was measured on, from its manifest, for a paper's caption: plain
 * strings as the manifest holds them (untrusted: every writer escapes them for
 * its format), empty when absent or not a string.
 */
#ifndef BPFCOST_ANALYSIS_CONTEXT_H
#define BPFCOST_ANALYSIS_CONTEXT_H

struct cJSON;

struct run_context {
	char workload[32]; /* workload.name: iperf, trigger */
	char target[16];   /* guest, host */
	char kernel[64];   /* target_info.info.kernel_release: the probed kernel */
	char cpu[96];	   /* target_info.info.cpu_model: the CPU that kernel saw */
	char host_cpu[96]; /* host.cpu_model: the machine under a guest */
	char accel[16];	   /* target_info.accel: kvm, tcg; empty on the host */
	char clock[16];	   /* real, instructions */
	char func[64];	   /* settings.func: the probed function */
	double n;	   /* N: samples per configuration asked; NAN: not recorded */
};

void context_load(struct run_context *ctx, const struct cJSON *manifest);

#endif
