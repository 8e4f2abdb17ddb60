# SPDX-License-Identifier: GPL-2.0
# Analysis: libanalysis.a (everything but main) and bpfcost-report.
# Included by the top Makefile, which defines OUT, CC, CFLAGS, Q and LDLIBS_ALL.

ANALYSIS_SRCS := \
	analysis/analyse.c \
	analysis/cli.c \
	analysis/escape.c \
	analysis/fmt.c \
	analysis/group.c \
	analysis/infile.c \
	analysis/load.c \
	analysis/notes.c \
	analysis/outfile.c \
	analysis/percall.c \
	analysis/plot.c \
	analysis/plot_data.c \
	analysis/precision.c \
	analysis/record_parse.c \
	analysis/records.c \
	analysis/robust.c \
	analysis/samples_csv.c \
	analysis/stats.c \
	analysis/summary_csv.c \
	analysis/table_md.c \
	analysis/table_tex.c \
	analysis/table_text.c

ANALYSIS_OBJS := $(patsubst analysis/%.c,$(OUT)/analysis/%.o,$(ANALYSIS_SRCS))
ANALYSIS_HDRS := $(wildcard analysis/*.h)
# Fallback for the gnuplot scripts when the binary is not run from build/bin in the tree.
ANALYSIS_CFLAGS := -I. -DBPFCOST_ANALYSIS_DIR=\"$(CURDIR)/analysis\"

BINS += $(OUT)/bin/bpfcost-report
ARCHIVES += $(OUT)/libanalysis.a

$(OUT)/analysis/%.o: analysis/%.c $(ANALYSIS_HDRS) $(wildcard loader/*.h)
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(ANALYSIS_CFLAGS) -c $< -o $@

$(OUT)/libanalysis.a: $(ANALYSIS_OBJS)
	@mkdir -p $(@D)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# libloader for spawn(): gnuplot is started the one way every program is.
$(OUT)/bin/bpfcost-report: $(OUT)/analysis/report_main.o $(OUT)/libanalysis.a $(OUT)/libloader.a
	@mkdir -p $(@D)
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(CFLAGS) $^ -lcjson -lgsl -lgslcblas -lm -o $@

RESULTS ?= results/latest
export RESULTS
# PERCALL=results/<dir>: a WORKLOAD=trigger run of the same kernel predicts the flood's impacts.
PERCALL ?=
# ESTIMATOR=robust|mean: what the impact columns use (the report's default: robust).
ESTIMATOR ?=
export PERCALL ESTIMATOR

.PHONY: report
report: $(OUT)/bin/bpfcost-report
	$(Q)$(OUT)/bin/bpfcost-report $${PERCALL:+--percall "$$PERCALL"} \
		$${ESTIMATOR:+--estimator "$$ESTIMATOR"} "$$RESULTS"
