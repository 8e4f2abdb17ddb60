/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One thin program per attach type around the probe's body. All start with
 * "?" (not autoloaded): the loader switches exactly one on and sets its
 * target function at run time, so one object serves every attach type.
 * Program names are the contract with loader/attach_types.c: a new attach
 * type is a wrapper here plus its row there.
 */

SEC("?tp/sock/sock_recv_length")
int bpfcost_tp(void *ctx)
{
	return probe_body();
}

SEC("?raw_tp/sock_recv_length")
int bpfcost_raw_tp(void *ctx)
{
	return probe_body();
}

SEC("?tp_btf/sock_recv_length")
int bpfcost_tp_btf(void *ctx)
{
	return probe_body();
}

/* kprobe (int3, at an offset) and kprobe-ftrace (offset 0) share this one. */
SEC("?kprobe")
int bpfcost_kprobe(void *ctx)
{
	return probe_body();
}

SEC("?kretprobe")
int bpfcost_kretprobe(void *ctx)
{
	return probe_body();
}

SEC("?kprobe.multi")
int bpfcost_kprobe_multi(void *ctx)
{
	return probe_body();
}

SEC("?kretprobe.multi")
int bpfcost_kretprobe_multi(void *ctx)
{
	return probe_body();
}

SEC("?fentry")
int bpfcost_fentry(void *ctx)
{
	return probe_body();
}

SEC("?fexit")
int bpfcost_fexit(void *ctx)
{
	return probe_body();
}
