// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cjson/cJSON.h>

#include "experiments/guest/guest.h"
#include "loader/bpfcost.h"
#include "record_check.h"
#include "sample.h"

static double num_at(const cJSON *obj, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, a);

	if (b)
		v = cJSON_GetObjectItemCaseSensitive(v, b);
	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/* Datagrams delivered to sockets: counted in udp_recvmsg/udpv6_recvmsg. */
static double datagrams(const cJSON *snmp)
{
	return num_at(snmp, "udp", "InDatagrams") + num_at(snmp, "udp6", "InDatagrams");
}

static cJSON *call(struct guest *g, cJSON *req, int timeout_s, char *err, size_t errlen)
{
	cJSON *reply = guest_call(g, req, timeout_s, err, errlen);

	cJSON_Delete(req);
	return reply;
}

static cJSON *simple(struct guest *g, const char *cmd, int timeout_s, char *err, size_t errlen)
{
	cJSON *req = cJSON_CreateObject();

	cJSON_AddStringToObject(req, "cmd", cmd);
	return call(g, req, timeout_s, err, errlen);
}

static bool ok(const cJSON *reply)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(reply, "ok"));
}

static const char *str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static cJSON *attach(struct guest *g, const struct config *c, const struct sample_settings *s,
		     bool stats, char *err, size_t errlen)
{
	cJSON *req = cJSON_CreateObject();

	cJSON_AddStringToObject(req, "cmd", "attach");
	cJSON_AddStringToObject(req, "probe", c->probe);
	cJSON_AddStringToObject(req, "attach", c->attach);
	cJSON_AddBoolToObject(req, "stats", stats);
	if (s->func)
		cJSON_AddStringToObject(req, "func", s->func);
	if (!strcmp(c->probe, "spin"))
		cJSON_AddNumberToObject(cJSON_AddObjectToObject(req, "set"), "spin_ns", s->spin_ns);
	return call(g, req, s->call_timeout_s, err, errlen);
}

/* The traffic and the guest-side counters around it. */
struct window {
	struct iperf_result iperf;
	double packets; /* datagrams the guest's sockets received */
	double run_cnt, run_time_ns;
	char err[BPFCOST_ERRLEN];
	bool guest_lost;
};

static int measure(struct guest *g, const struct sample_settings *s, double duration, int warmup,
		   bool counting, struct window *w, volatile sig_atomic_t *stop)
{
	struct iperf_run run = {
		.host = guest_iperf_host(g),
		.port = guest_iperf_port(g),
		.duration = duration,
		.warmup = warmup,
		.args = s->iperf_args,
		.timeout_s = (int)(duration + warmup) + 30,
	};
	cJSON *snmp0 = NULL, *snmp1 = NULL, *read0 = NULL, *read1 = NULL;
	int attempt, ret = -1;

	memset(w, 0, sizeof(*w));
	snmp0 = simple(g, "snmp", s->call_timeout_s, w->err, sizeof(w->err));
	if (counting && snmp0)
		read0 = simple(g, "read", s->call_timeout_s, w->err, sizeof(w->err));
	if (!snmp0 || (counting && !read0)) {
		w->guest_lost = true;
		goto out;
	}
	/* An iperf3 failure is retried once, then it is the sample's error. */
	for (attempt = 0; attempt < 2 && ret && !*stop; attempt++)
		ret = iperf_run(&run, &w->iperf, stop, w->err, sizeof(w->err));
	if (ret)
		goto out;
	snmp1 = simple(g, "snmp", s->call_timeout_s, w->err, sizeof(w->err));
	if (counting && snmp1)
		read1 = simple(g, "read", s->call_timeout_s, w->err, sizeof(w->err));
	if (!snmp1 || (counting && !read1)) {
		w->guest_lost = true;
		ret = -1;
		goto out;
	}
	w->packets = datagrams(snmp1) - datagrams(snmp0);
	w->run_cnt = num_at(read1, "run_cnt", NULL) - num_at(read0, "run_cnt", NULL);
	w->run_time_ns = num_at(read1, "run_time_ns", NULL) - num_at(read0, "run_time_ns", NULL);
out:
	cJSON_Delete(snmp0);
	cJSON_Delete(snmp1);
	cJSON_Delete(read0);
	cJSON_Delete(read1);
	return ret;
}

/*
 * iperf3's received datagrams (measured interval) cannot exceed what the
 * guest's sockets received over the whole window, warm-up included.
 */
static bool counts_disagree(const struct window *w, char *err, size_t errlen)
{
	if (w->iperf.rx_packets <= w->packets * 1.01 + 16)
		return false;
	snprintf(err, errlen,
		 "iperf3 counted %.0f datagrams received but the guest's UDP InDatagrams rose by "
		 "only %.0f",
		 w->iperf.rx_packets, w->packets);
	return true;
}

static void detach(struct guest *g, const struct sample_settings *s)
{
	char err[BPFCOST_ERRLEN];

	cJSON_Delete(simple(g, "detach", s->call_timeout_s, err, sizeof(err)));
}

static void add_config(cJSON *rec, const struct config *c)
{
	cJSON_AddStringToObject(rec, "config", c->name);
	if (c->baseline) {
		cJSON_AddNullToObject(rec, "probe");
		cJSON_AddNullToObject(rec, "attach");
	} else {
		cJSON_AddStringToObject(rec, "probe", c->probe);
		cJSON_AddStringToObject(rec, "attach", c->attach);
	}
	cJSON_AddBoolToObject(rec, "stats", c->stats);
}

static void add_hits(cJSON *rec, double hits, const char *source)
{
	cJSON_AddNumberToObject(rec, "hits_per_packet", hits);
	cJSON_AddStringToObject(rec, "hits_source", source);
	cJSON_AddBoolToObject(rec, "hits_ok", hits >= HITS_MIN && hits <= HITS_MAX);
}

static void add_error(cJSON *rec, const cJSON *reply, const char *msg)
{
	cJSON_AddStringToObject(rec, "error", msg);
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(reply, "unsupported")))
		cJSON_AddBoolToObject(rec, "unsupported", true);
}

enum sample_outcome sample_run(struct guest *g, const struct config *c,
			       const struct sample_settings *s, const cJSON *hit_check, cJSON *rec,
			       volatile sig_atomic_t *stop)
{
	enum sample_outcome outcome = SAMPLE_OK;
	char err[BPFCOST_ERRLEN];
	cJSON *reply = NULL;
	struct window w;
	int ret;

	add_config(rec, c);
	if (!strcmp(c->probe, "spin"))
		cJSON_AddNumberToObject(rec, "spin_ns", s->spin_ns);
	if (!c->baseline) {
		reply = attach(g, c, s, c->stats, err, sizeof(err));
		if (!reply || !ok(reply)) {
			add_error(rec, reply, reply ? str(reply, "error") : err);
			outcome = reply ? SAMPLE_ERROR : SAMPLE_GUEST_LOST;
			goto out;
		}
		cJSON_AddStringToObject(rec, "mechanism", str(reply, "mechanism"));
	} else {
		cJSON_AddNullToObject(rec, "mechanism");
	}
	ret = measure(g, s, s->duration, s->warmup, c->stats, &w, stop);
	if (!c->baseline)
		detach(g, s);
	if (*stop) {
		outcome = SAMPLE_INTERRUPTED;
		goto out;
	}
	if (ret) {
		add_error(rec, NULL, w.err);
		outcome = w.guest_lost ? SAMPLE_GUEST_LOST : SAMPLE_ERROR;
		goto out;
	}
	cJSON_AddNumberToObject(rec, "rx_bps", w.iperf.rx_bps);
	cJSON_AddNumberToObject(rec, "rx_bytes", w.iperf.rx_bytes);
	cJSON_AddNumberToObject(rec, "rx_packets", w.iperf.rx_packets);
	cJSON_AddNumberToObject(rec, "sent_packets", w.iperf.sent_packets);
	cJSON_AddNumberToObject(rec, "datagram_bytes", w.iperf.datagram_bytes);
	cJSON_AddNumberToObject(rec, "rx_pps", w.iperf.rx_pps);
	cJSON_AddNumberToObject(rec, "lost_percent", w.iperf.lost_percent);
	cJSON_AddNumberToObject(rec, "duration_s", w.iperf.seconds);
	/* Optional in iperf3's report: absent rather than made up. */
	if (!isnan(w.iperf.cpu_host_percent))
		cJSON_AddNumberToObject(rec, "cpu_host_percent", w.iperf.cpu_host_percent);
	if (!isnan(w.iperf.cpu_remote_percent))
		cJSON_AddNumberToObject(rec, "cpu_remote_percent", w.iperf.cpu_remote_percent);
	cJSON_AddNumberToObject(rec, "guest_datagrams", w.packets);
	if (counts_disagree(&w, err, sizeof(err))) {
		add_error(rec, NULL, err);
		outcome = SAMPLE_ERROR;
		goto out;
	}
	if (c->baseline) {
		cJSON_AddNullToObject(rec, "run_cnt");
		cJSON_AddNullToObject(rec, "run_time_ns");
		cJSON_AddNullToObject(rec, "hits_per_packet");
	} else if (c->stats) {
		cJSON_AddNumberToObject(rec, "run_cnt", w.run_cnt);
		cJSON_AddNumberToObject(rec, "run_time_ns", w.run_time_ns);
		add_hits(rec, w.packets > 0 ? w.run_cnt / w.packets : 0, "stats");
	} else {
		cJSON_AddNullToObject(rec, "run_cnt");
		cJSON_AddNullToObject(rec, "run_time_ns");
		if (hit_check && cJSON_GetObjectItem(hit_check, "hits_per_packet"))
			add_hits(rec, num_at(hit_check, "hits_per_packet", NULL), "check");
		else
			cJSON_AddNullToObject(rec, "hits_per_packet");
	}
out:
	/* The last gate before the record is written: no impossible number gets through. */
	if (outcome == SAMPLE_OK && record_check_values(rec, err, sizeof(err))) {
		add_error(rec, NULL, err);
		outcome = SAMPLE_ERROR;
	}
	cJSON_Delete(reply);
	return outcome;
}

cJSON *sample_hit_check(struct guest *g, const struct config *c, const struct sample_settings *s,
			double seconds, volatile sig_atomic_t *stop)
{
	cJSON *check = cJSON_CreateObject(), *reply;
	char err[BPFCOST_ERRLEN];
	struct window w;

	reply = attach(g, c, s, true, err, sizeof(err));
	if (!reply || !ok(reply)) {
		add_error(check, reply, reply ? str(reply, "error") : err);
		cJSON_Delete(reply);
		return check;
	}
	cJSON_AddStringToObject(check, "mechanism", str(reply, "mechanism"));
	if (str(reply, "kprobes_list"))
		cJSON_AddStringToObject(check, "kprobes_list", str(reply, "kprobes_list"));
	cJSON_Delete(reply);
	if (measure(g, s, seconds, 0, true, &w, stop)) {
		cJSON_AddStringToObject(check, "error", w.err);
	} else {
		cJSON_AddNumberToObject(check, "run_cnt", w.run_cnt);
		cJSON_AddNumberToObject(check, "packets", w.packets);
		add_hits(check, w.packets > 0 ? w.run_cnt / w.packets : 0, "check");
	}
	detach(g, s);
	return check;
}
