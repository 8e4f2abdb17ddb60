// SPDX-License-Identifier: GPL-2.0
/* One attachment: open the probe's object, switch on one variant, load, attach. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cjson/cJSON.h>

#include "attach_types.h"
#include "bpfcost.h"
#include "kallsyms.h"
#include "kconfig.h"
#include "kprobes.h"
#include "session_priv.h"
#include "settings.h"
#include "support.h"

#ifndef ENOTSUPP
#define ENOTSUPP 524 /* the kernel's internal "not supported", seen by user space */
#endif

static bool libbpf_verbose;
/* The verifier's last lines from the latest failed load, on one line; "" if none. */
static char load_log[320];

/*
 * @log on one line, its lines joined by " | ", control bytes as spaces; the
 * end kept when it is too long, since the verifier says why at the end.
 */
static void keep_log_tail(const char *log)
{
	size_t keep = sizeof(load_log) - 4, n = 0;
	char *flat = malloc(strlen(log) * 3 + 1);

	load_log[0] = '\0';
	if (!flat)
		return;
	for (const char *p = log; *p; p++) {
		if (*p != '\n')
			flat[n++] = (unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p;
		else if (n >= 3 ? strncmp(flat + n - 3, " | ", 3) : n > 0)
			n += sprintf(flat + n, " | ");
	}
	while (n && (flat[n - 1] == ' ' || flat[n - 1] == '|'))
		n--;
	flat[n] = '\0';
	snprintf(load_log, sizeof(load_log), "%s%s", n > keep ? "..." : "",
		 flat + (n > keep ? n - keep : 0));
	free(flat);
}

/* libbpf prints a failed load's verifier log as one message between these marks. */
static void catch_load_log(const char *fmt, va_list ap)
{
	static const char begin[] = "-- BEGIN PROG LOAD LOG --\n",
			  end[] = "-- END PROG LOAD LOG --";
	char *text, *b, *e;
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n <= 0 || !(text = malloc((size_t)n + 1)))
		return;
	vsnprintf(text, (size_t)n + 1, fmt, ap);
	b = strstr(text, begin);
	e = b ? strstr(b, end) : NULL;
	if (e) {
		*e = '\0';
		keep_log_tail(b + sizeof(begin) - 1);
	}
	free(text);
}

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	va_list aq;

	va_copy(aq, ap);
	catch_load_log(fmt, aq);
	va_end(aq);
	/* Unsupported types make libbpf complain loudly; the caller reports it once. */
	if (!libbpf_verbose)
		return 0;
	(void)level;
	return vfprintf(stderr, fmt, ap);
}

/*
 * Decide between "this kernel cannot" (exit 3) and "something broke" (exit 1),
 * and write the one line the user sees. @sup is what the kernel said before
 * the load (support.h): when it said yes, a failure is the probe's, with the
 * verifier's last lines, unless the kernel refused outright (lockdown: EPERM).
 */
static enum bpfcost_status classify(const struct attach_type *t, const char *stage, int err,
				    enum support sup, const char *sup_why, char *msg, size_t len)
{
	const char *opt = support_missing_option(t);
	bool refused, unsupported;

	err = abs(err);
	if (geteuid() != 0 && err == EPERM) {
		snprintf(msg, len, "%s: %s failed: %s; bpfcost needs root (CAP_BPF, CAP_PERFMON)",
			 t->name, stage, strerror(err));
		return BPFCOST_ERR_FAILURE;
	}
	refused = err == EPERM || err == EOPNOTSUPP || err == ENOTSUPP;
	if (sup == SUPPORT_YES && !refused) {
		snprintf(msg, len,
			 "%s: %s failed: %s (errno %d); the kernel supports %s, so the probe is at "
			 "fault%s%s",
			 t->name, stage, strerror(err), err, t->name,
			 load_log[0] ? ": verifier: " : "", load_log);
		return BPFCOST_ERR_FAILURE;
	}
	unsupported = opt || sup == SUPPORT_NO || refused || (t->available && !t->available()) ||
		      err == ENOENT || err == ESRCH || err == EINVAL;
	if (!unsupported) {
		snprintf(msg, len, "%s: %s failed: %s (errno %d)", t->name, stage, strerror(err),
			 err);
		return BPFCOST_ERR_FAILURE;
	}
	if (opt)
		snprintf(msg, len,
			 "unsupported: %s: %s failed: %s (errno %d); CONFIG_%s is not set in %s "
			 "(needs %s)",
			 t->name, stage, strerror(err), err, opt, kconfig_source(), t->needs);
	else if (sup == SUPPORT_NO)
		snprintf(msg, len, "unsupported: %s: %s failed: %s (errno %d); %s (needs %s)",
			 t->name, stage, strerror(err), err, sup_why, t->needs);
	else
		snprintf(msg, len, "unsupported: %s: %s failed: %s (errno %d); likely missing: %s",
			 t->name, stage, strerror(err), err, t->needs);
	return BPFCOST_ERR_UNSUPPORTED;
}

/*
 * The type exists to measure one mechanism and the kernel chose another, so
 * this kernel cannot do the type. Its most specific config option, listed
 * last, is the likely cause.
 */
static enum bpfcost_status wrong_mechanism(const struct bpfcost_session *s, char *msg, size_t len)
{
	const struct attach_type *t = s->type;
	const char *const *opt = t->config;
	bool named;

	while (opt && opt[0] && opt[1])
		opt++;
	named = opt && opt[0];
	snprintf(msg, len,
		 "unsupported: %s: the kernel placed a '%s' %s, not an %s one; "
		 "likely missing: %s%s",
		 t->name, s->mechanism, t->family, t->want_mechanism, named ? "CONFIG_" : "",
		 named ? *opt : t->needs);
	return BPFCOST_ERR_UNSUPPORTED;
}

static enum bpfcost_status check_names(const struct bpfcost_opts *o, const char *path, char *err,
				       size_t errlen)
{
	char **names;
	size_t used;
	int i;

	if (!o->probe || !*o->probe || strchr(o->probe, '/') || access(path, R_OK)) {
		names = bpfcost_list_probes(
			o->progs_dir ? o->progs_dir : bpfcost_default_progs_dir(), err, errlen);
		if (!names)
			return BPFCOST_ERR_USAGE;
		used = snprintf(err, errlen,
				"unknown probe '%s'; valid probes:", o->probe ? o->probe : "");
		for (i = 0; names[i] && used < errlen; i++)
			used += snprintf(err + used, errlen - used, " %s", names[i]);
		bpfcost_free_names(names);
		return BPFCOST_ERR_USAGE;
	}
	if (!attach_type_find(o->attach)) {
		const char *const *a = bpfcost_attach_names();

		used = snprintf(err, errlen, "unknown attach type '%s'; valid types:",
				o->attach ? o->attach : "");
		for (; *a && used < errlen; a++)
			used += snprintf(err + used, errlen - used, " %s", *a);
		return BPFCOST_ERR_USAGE;
	}
	return BPFCOST_OK;
}

static int prog_info(struct bpfcost_session *s, struct bpf_prog_info *info)
{
	__u32 len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return bpf_obj_get_info_by_fd(bpf_program__fd(s->prog), info, &len);
}

enum bpfcost_status bpfcost_attach(const struct bpfcost_opts *o, struct bpfcost_session **out,
				   char *err, size_t errlen)
{
	const char *dir = o->progs_dir ? o->progs_dir : bpfcost_default_progs_dir();
	enum bpfcost_status status;
	struct bpfcost_session *s;
	char path[PATH_MAX], sup_why[160];
	enum support sup;
	int i, ret;

	*out = NULL;
	err[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s.bpf.o", dir, o->probe ? o->probe : "");
	status = check_names(o, path, err, errlen);
	if (status)
		return status;

	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return BPFCOST_ERR_FAILURE;
	}
	s->stats_fd = -1;
	s->stats = o->stats;
	s->type = attach_type_find(o->attach);
	snprintf(s->probe, sizeof(s->probe), "%s", o->probe);
	snprintf(s->func, sizeof(s->func), "%s", o->func ? o->func : BPFCOST_DEFAULT_FUNC);
	if (s->type->on_function && !kallsyms_has_function(s->func)) {
		snprintf(err, errlen, "%s: kernel function '%s' not found in /proc/kallsyms",
			 s->type->name, s->func);
		status = BPFCOST_ERR_USAGE;
		goto fail;
	}

	libbpf_verbose = o->verbose;
	libbpf_set_print(print_libbpf);
	s->obj = bpf_object__open_file(path, NULL);
	if (!s->obj) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		status = BPFCOST_ERR_FAILURE;
		goto fail;
	}
	for (i = 0; i < o->nr_settings; i++) {
		if (settings_set(s->obj, o->settings[i].name, o->settings[i].value, err, errlen)) {
			status = BPFCOST_ERR_USAGE;
			goto fail;
		}
	}
	settings_describe(s->obj, s->settings, sizeof(s->settings));
	s->prog = bpf_object__find_program_by_name(s->obj, s->type->prog);
	if (!s->prog) {
		snprintf(err, errlen, "%s: no program %s in %s (rebuild with make)", s->type->name,
			 s->type->prog, path);
		status = BPFCOST_ERR_FAILURE;
		goto fail;
	}
	bpf_program__set_autoload(s->prog, true);
	/* Asked of the kernel before loading: what a failure below then means. */
	sup = support_probe(s->type, bpf_program__type(s->prog), s->func, sup_why, sizeof(sup_why));
	if (s->type->prepare) {
		ret = s->type->prepare(s);
		if (ret) {
			status = classify(s->type, "target lookup", ret, sup, sup_why, err, errlen);
			goto fail;
		}
	}
	load_log[0] = '\0';
	ret = bpf_object__load(s->obj);
	if (ret) {
		status = classify(s->type, "load", ret, sup, sup_why, err, errlen);
		goto fail;
	}
	if (s->stats) {
		/* Held while attached: stats stop when we exit, even on a crash. */
		s->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (s->stats_fd < 0) {
			snprintf(err, errlen, "%s: BPF_ENABLE_STATS failed: %s", s->type->name,
				 strerror(errno));
			status = BPFCOST_ERR_FAILURE;
			goto fail;
		}
	}
	s->link = s->type->attach(s);
	if (!s->link) {
		load_log[0] = '\0'; /* the load went through: no verifier lines to show */
		status = classify(s->type, "attach", -errno, sup, sup_why, err, errlen);
		goto fail;
	}
	s->mechanism = s->type->mechanism;
	if (!s->mechanism) {
		s->mechanism = kprobes_mechanism(s->func, s->offset, s->type->on_return,
						 s->kprobe_line, sizeof(s->kprobe_line));
		if (!s->mechanism)
			s->mechanism = "unknown";
	}
	if (s->type->want_mechanism && strcmp(s->mechanism, s->type->want_mechanism)) {
		status = wrong_mechanism(s, err, errlen);
		goto fail;
	}
	*out = s;
	return BPFCOST_OK;
fail:
	bpfcost_detach(s);
	return status;
}

cJSON *bpfcost_result_json(struct bpfcost_session *s)
{
	struct bpf_prog_info info;
	struct utsname u;
	cJSON *j = cJSON_CreateObject();

	if (!j)
		return NULL;
	prog_info(s, &info); /* one read serves the id and the counters; zeroed on failure */
	cJSON_AddNumberToObject(j, "prog_id", info.id);
	cJSON_AddStringToObject(j, "probe", s->probe);
	cJSON_AddStringToObject(j, "attach", s->type->name);
	if (s->type->on_function)
		cJSON_AddStringToObject(j, "func", s->func);
	else
		cJSON_AddStringToObject(j, "tracepoint", BPFCOST_TP_CATEGORY ":" BPFCOST_TP_NAME);
	if (s->type->reports_offset)
		cJSON_AddNumberToObject(j, "offset", s->offset);
	cJSON_AddBoolToObject(j, "stats", s->stats);
	cJSON_AddNumberToObject(j, "run_cnt", info.run_cnt);
	cJSON_AddNumberToObject(j, "run_time_ns", info.run_time_ns);
	cJSON_AddNumberToObject(j, "recursion_misses", info.recursion_misses);
	cJSON_AddStringToObject(j, "mechanism", s->mechanism);
	/*
	 * Asked again at every read: the optimizer or another tool may have turned
	 * the breakpoint into a jump while the sample ran.
	 */
	if (!s->type->mechanism) {
		char line[256];
		const char *now = kprobes_mechanism(s->func, s->offset, s->type->on_return, line,
						    sizeof(line));

		if (now && strcmp(now, s->mechanism))
			cJSON_AddStringToObject(j, "mechanism_now", now);
	}
	if (s->kprobe_line[0])
		cJSON_AddStringToObject(j, "kprobes_list", s->kprobe_line);
	if (s->settings[0])
		cJSON_AddStringToObject(j, "settings", s->settings);
	if (!uname(&u))
		cJSON_AddStringToObject(j, "kernel", u.release);
	return j;
}

void bpfcost_detach(struct bpfcost_session *s)
{
	if (!s)
		return;
	bpf_link__destroy(s->link);
	bpf_object__close(s->obj);
	if (s->stats_fd >= 0)
		close(s->stats_fd);
	if (s->holds_optimizer)
		kprobes_optimizer_release();
	free(s);
}

int bpfcost_check_setting(const char *progs_dir, const char *probe, const char *name,
			  uint64_t value, char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct bpf_object *obj;
	int ret;

	snprintf(path, sizeof(path), "%s/%s.bpf.o", progs_dir ?: bpfcost_default_progs_dir(),
		 probe);
	libbpf_set_print(print_libbpf);
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	ret = settings_set(obj, name, value, err, errlen) ? -1 : 0;
	bpf_object__close(obj);
	return ret;
}
