// SPDX-License-Identifier: GPL-2.0
/*
 * bpfcost-loader: attach one probe with one attach type, hold it until told
 * to stop, then print what the kernel did as one JSON object.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <cjson/cJSON.h>

#include "attach_types.h"
#include "bpfcost.h"
#include "cli_opts.h"
#include "kprobes.h"
#include "settings.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: bpfcost-loader --list [--progs-dir DIR]\n"
		"       bpfcost-loader -p PROBE -a ATTACH [-s] [-f FUNC] [--set NAME=VALUE]...\n"
		"                      [-d SECONDS] [--progs-dir DIR] [-v]\n"
		"\n"
		"Attaches progs/PROBE.bpf.c with one attach type, holds it until SIGINT,\n"
		"SIGTERM, -d SECONDS or else end of stdin, then prints one JSON object (prog_id,\n"
		"probe, attach, run_cnt, run_time_ns, mechanism, ...) and detaches.\n"
		"\n"
		"  -l, --list            list probes (with their settings) and attach types\n"
		"  -p, --probe NAME      probe body: a <NAME>.bpf.o in the probe directory\n"
		"  -a, --attach TYPE     attach type (see --list)\n"
		"  -s, --stats           enable BPF run-time stats (run_cnt, run_time_ns)\n"
		"  -f, --func FUNC       kernel function for kprobe/fprobe/fentry types\n"
		"                        (default %s)\n"
		"      --set NAME=VALUE  set a probe setting (a const volatile global)\n"
		"  -d, --duration SEC    detach after SEC seconds (stdin is then ignored)\n"
		"      --progs-dir DIR   probe objects (default %s)\n"
		"  -v, --verbose         show libbpf's log\n"
		"\n"
		"Exit: 0 ok, 1 failure, 2 bad usage, 3 attach type unsupported by this kernel.\n",
		BPFCOST_DEFAULT_FUNC, bpfcost_default_progs_dir());
}

static int list(const char *dir)
{
	char err[BPFCOST_ERRLEN], settings[256], path[4096];
	const struct attach_type *t;
	char **names = bpfcost_list_probes(dir, err, sizeof(err));
	int i;

	if (!names) {
		fprintf(stderr, "bpfcost-loader: %s\n", err);
		return BPFCOST_EXIT_FAILURE;
	}
	libbpf_set_print(NULL);
	printf("# probes in %s\n", dir);
	for (i = 0; names[i]; i++) {
		struct bpf_object *obj;

		snprintf(path, sizeof(path), "%s/%s.bpf.o", dir, names[i]);
		obj = bpf_object__open_file(path, NULL);
		settings[0] = '\0';
		if (obj)
			settings_describe(obj, settings, sizeof(settings));
		bpf_object__close(obj);
		printf("probe %s%s%s\n", names[i], settings[0] ? " " : "", settings);
	}
	bpfcost_free_names(names);
	printf("# attach types (needs)\n");
	for (i = 0; (t = attach_type_at(i)); i++)
		printf("attach %s %s\n", t->name, t->needs);
	return BPFCOST_EXIT_OK;
}

static int parse_setting(const char *arg, struct bpfcost_opts *o)
{
	static char names[BPFCOST_MAX_SETTINGS][64];
	char *eq = strchr(arg, '='), *end;
	unsigned long long v;

	if (!eq || eq == arg || o->nr_settings == BPFCOST_MAX_SETTINGS) {
		fprintf(stderr, "bpfcost-loader: bad --set '%s': want NAME=VALUE (at most %d)\n",
			arg, BPFCOST_MAX_SETTINGS);
		return -1;
	}
	errno = 0;
	v = strtoull(eq + 1, &end, 0);
	if (errno || end == eq + 1 || *end) {
		fprintf(stderr, "bpfcost-loader: bad --set '%s': value is not an integer\n", arg);
		return -1;
	}
	/* Names live as long as the process: no allocation to leak on any exit path. */
	snprintf(names[o->nr_settings], sizeof(names[0]), "%.*s", (int)(eq - arg), arg);
	o->settings[o->nr_settings].name = names[o->nr_settings];
	o->settings[o->nr_settings++].value = v;
	return 0;
}

/*
 * Wait for a signal, then for the deadline if there is one, else for end of
 * stdin (a supervisor that dies closes our stdin). poll() wakes on signals.
 */
static void hold(double duration)
{
	struct timespec start, now;
	char buf[256];

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!stop_requested) {
		struct pollfd p = { .fd = duration > 0 ? -1 : STDIN_FILENO, .events = POLLIN };
		int ret = poll(&p, 1, 100);

		if (ret > 0 && (p.revents & (POLLIN | POLLHUP))) {
			if (read(STDIN_FILENO, buf, sizeof(buf)) <= 0)
				break;
		} else if (ret > 0 && p.revents & POLLNVAL) {
			break; /* stdin closed before we started */
		}
		if (duration > 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec - start.tv_sec + (now.tv_nsec - start.tv_nsec) / 1e9 >=
			    duration)
				break;
		}
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct bpfcost_opts o = { 0 };
	char err[BPFCOST_ERRLEN], *end;
	struct bpfcost_session *s;
	enum bpfcost_status st;
	bool do_list = false;
	double duration = 0;
	cJSON *result;
	char *text;
	int c;

	/* A loader SIGKILLed while holding the kprobe optimizer off: undo that first. */
	kprobes_optimizer_recover();

	while ((c = cli_getopt(argc, argv,
			       "list|l probe|p: attach|a: stats|s func|f: set/S: duration|d: "
			       "progs-dir/D: verbose|v help|h")) != -1) {
		switch (c) {
		case 'l':
			do_list = true;
			break;
		case 'p':
			o.probe = optarg;
			break;
		case 'a':
			o.attach = optarg;
			break;
		case 's':
			o.stats = true;
			break;
		case 'f':
			o.func = optarg;
			break;
		case 'S':
			if (parse_setting(optarg, &o))
				return BPFCOST_EXIT_USAGE;
			break;
		case 'd':
			duration = strtod(optarg, &end);
			if (*end || duration <= 0) {
				fprintf(stderr,
					"bpfcost-loader: bad duration '%s': want seconds > 0\n",
					optarg);
				return BPFCOST_EXIT_USAGE;
			}
			break;
		case 'D':
			o.progs_dir = optarg;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return BPFCOST_EXIT_OK;
		default:
			usage(stderr);
			return BPFCOST_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "bpfcost-loader: unexpected argument '%s'\n", argv[optind]);
		return BPFCOST_EXIT_USAGE;
	}
	if (do_list)
		return list(o.progs_dir ? o.progs_dir : bpfcost_default_progs_dir());
	if (!o.probe || !o.attach) {
		fprintf(stderr, "bpfcost-loader: need -p PROBE and -a ATTACH (or --list)\n");
		usage(stderr);
		return BPFCOST_EXIT_USAGE;
	}

	/* Installed before attaching so a signal can never leave a program behind. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	st = bpfcost_attach(&o, &s, err, sizeof(err));
	if (st != BPFCOST_OK) {
		fprintf(stderr, "bpfcost-loader: %s\n", err);
		return (int)st;
	}
	result = bpfcost_result_json(s);
	text = cJSON_PrintUnformatted(result);
	fprintf(stderr, "bpfcost-loader: attached %s\n", text ? text : "");
	free(text);
	cJSON_Delete(result);

	hold(duration);

	result = bpfcost_result_json(s);
	bpfcost_detach(s);
	text = cJSON_PrintUnformatted(result);
	if (!text) {
		fprintf(stderr, "bpfcost-loader: cannot format result\n");
		return BPFCOST_EXIT_FAILURE;
	}
	printf("%s\n", text);
	free(text);
	cJSON_Delete(result);
	return BPFCOST_EXIT_OK;
}
