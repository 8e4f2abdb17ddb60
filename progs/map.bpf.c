// SPDX-License-Identifier: GPL-2.0
/* The original experiment's probe: a helper call and a per-CPU map write. */
#include "bpfcost_probe.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} last_pid SEC(".maps");

static __always_inline int probe_body(void)
{
	__u32 key = 0;
	__u32 pid = bpf_get_current_pid_tgid() >> 32;

	bpf_map_update_elem(&last_pid, &key, &pid, BPF_ANY);
	return 0;
}
