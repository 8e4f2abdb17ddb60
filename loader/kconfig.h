/* SPDX-License-Identifier: GPL-2.0 */
/* Read the running kernel's build configuration, where the kernel exposes it. */
#ifndef BPFCOST_KCONFIG_H
#define BPFCOST_KCONFIG_H

#include <stddef.h>

/*
 * Value of CONFIG_<name> ("y", "m", a string...), "n" when the config says
 * "is not set", or NULL when no config file is readable (then callers must not
 * guess). Looks at /proc/config.gz, then /boot/config-$(uname -r).
 * Returns a pointer into a static cache: do not free.
 */
const char *kconfig_get(const char *name);

struct cJSON;
/*
 * @names' values into @obj as "<prefix><name>": a string, or null when no
 * config is readable. E.g. kconfig_record(cfg, attach_config_options(), "CONFIG_").
 */
void kconfig_record(struct cJSON *obj, const char *const *names, const char *prefix);

/* Which file answered, or NULL. */
const char *kconfig_source(void);

#endif /* BPFCOST_KCONFIG_H */
