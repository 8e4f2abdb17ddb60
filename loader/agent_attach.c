// SPDX-License-Identifier: GPL-2.0
/* The agent's one attachment: attach, read counters, detach, via the loader library. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "agent.h"
#include "bpfcost.h"
#include "json_get.h"
#include "settings.h"

static struct bpfcost_session *session;

bool agent_attached(void)
{
	return session != NULL;
}

static cJSON *with_ok(cJSON *r)
{
	if (!r)
		return agent_error(BPFCOST_ERR_FAILURE, "loader returned no result");
	cJSON_DeleteItemFromObjectCaseSensitive(r, "ok");
	cJSON_AddBoolToObject(r, "ok", true);
	return r;
}

struct cJSON *agent_attach(const struct cJSON *req)
{
	const cJSON *set = cJSON_GetObjectItemCaseSensitive(req, "set"), *it;
	struct bpfcost_opts opts = {
		.probe = json_str(req, "probe"),
		.attach = json_str(req, "attach"),
		.func = json_str(req, "func"),
		.stats = json_bool_or(req, "stats", false),
		.verbose = json_bool_or(req, "verbose", false),
	};
	char err[BPFCOST_ERRLEN] = "";
	enum bpfcost_status st;

	if (session)
		return agent_error(BPFCOST_ERR_USAGE, "already attached: detach first");
	if (!opts.probe || !opts.attach)
		return agent_error(BPFCOST_ERR_USAGE, "attach needs \"probe\" and \"attach\"");
	if (set && !cJSON_IsObject(set))
		return agent_error(BPFCOST_ERR_USAGE, "\"set\" must be an object of name: number");
	cJSON_ArrayForEach(it, set)
	{
		if (opts.nr_settings == BPFCOST_MAX_SETTINGS)
			return agent_error(BPFCOST_ERR_USAGE, "\"set\" takes at most %d settings",
					   BPFCOST_MAX_SETTINGS);
		if (!it->string || settings_value_parse(it, &opts.settings[opts.nr_settings].value))
			return agent_error(BPFCOST_ERR_USAGE,
					   "\"set\": %s must be a whole number in [0, 10^15) or a "
					   "decimal string in [0, 2^64)",
					   it->string ? it->string : "each value");
		opts.settings[opts.nr_settings++].name = it->string;
	}

	st = bpfcost_attach(&opts, &session, err, sizeof(err));
	if (st != BPFCOST_OK) {
		session = NULL;
		return agent_error(st, "%s", err[0] ? err : "attach failed");
	}
	return with_ok(bpfcost_result_json(session));
}

struct cJSON *agent_read(const struct cJSON *req)
{
	(void)req;
	if (!session)
		return agent_error(BPFCOST_ERR_USAGE, "nothing attached");
	return with_ok(bpfcost_result_json(session));
}

struct cJSON *agent_detach(const struct cJSON *req)
{
	cJSON *r;

	(void)req;
	if (!session)
		return agent_error(BPFCOST_ERR_USAGE, "nothing attached");
	/* Read the final counters while the program is still attached. */
	r = with_ok(bpfcost_result_json(session));
	bpfcost_detach(session);
	session = NULL;
	return r;
}
