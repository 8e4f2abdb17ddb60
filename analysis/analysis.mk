# SPDX-License-Identifier: GPL-2.0
# Analysis: libanalysis.a (everything but main) and bpfcost-report.
# Sources and programs only: the top Makefile's rules compile, archive and link.

ARCHIVES += libanalysis
libanalysis_OBJS := $(patsubst %.c,$(OUT)/%.o, \
	analysis/also.c \
	analysis/analyse.c \
	analysis/cli.c \
	analysis/columns.c \
	analysis/columns_fmt.c \
	analysis/compare.c \
	analysis/compare_cli.c \
	analysis/compare_facets.c \
	analysis/compare_fleet.c \
	analysis/compare_out.c \
	analysis/compare_txt.c \
	analysis/context.c \
	analysis/escape.c \
	analysis/fmt.c \
	analysis/group.c \
	analysis/infile.c \
	analysis/ladder.c \
	analysis/load.c \
	analysis/normalise.c \
	analysis/notes.c \
	analysis/notes_load.c \
	analysis/notes_percall.c \
	analysis/outfile.c \
	analysis/paper_caption.c \
	analysis/paper_figure.c \
	analysis/paper_notes.c \
	analysis/paper_pdf.c \
	analysis/paper_pivot.c \
	analysis/paper_table.c \
	analysis/paper_table_wide.c \
	analysis/percall.c \
	analysis/plot.c \
	analysis/plot_cdf.c \
	analysis/plot_data.c \
	analysis/precision.c \
	analysis/precision_unit.c \
	analysis/record_parse.c \
	analysis/records.c \
	analysis/robust.c \
	analysis/samples_csv.c \
	analysis/stats.c \
	analysis/stats_cost.c \
	analysis/summary_csv.c \
	analysis/sweep_index.c \
	analysis/table_md.c \
	analysis/table_tex.c \
	analysis/table_text.c)

# Fallback for the gnuplot scripts when the binary is not run from build/bin in the tree.
CFLAGS_analysis := -DBPFCOST_ANALYSIS_DIR=\"$(CURDIR)/analysis\"

# libloader for spawn(): gnuplot is started the one way every program is.
BINS			+= bpfcost-report
bpfcost-report_OBJS	:= $(OUT)/analysis/report_main.o $(OUT)/libanalysis.a $(OUT)/libloader.a
bpfcost-report_PKGS	:= libcjson gsl

# RESULTS="a b ...": several runs are compared, into a new results/<time>-compare/.
RESULTS ?= results/latest
export RESULTS
# PERCALL=results/<dir>: a WORKLOAD=trigger run of the same kernel predicts the flood's impacts.
PERCALL ?=
# ESTIMATOR=robust|mean: what the impact columns use (the report's default: robust).
ESTIMATOR ?=
export PERCALL ESTIMATOR

.PHONY: report paper
report: $(OUT)/bin/bpfcost-report
	$(Q)set -f; set -- $$RESULTS; \
	if [ $$# -gt 1 ]; then \
		mkdir -p results && \
		out=$$(mktemp -d "results/$$(date -u +%Y%m%dT%H%M%SZ)-compare-XXXX") && \
		chmod 755 "$$out" || exit 2; \
		$(OUT)/bin/bpfcost-report $${ESTIMATOR:+--estimator "$$ESTIMATOR"} \
			--out "$$out" "$$@" || { rc=$$?; rmdir "$$out" 2>/dev/null; exit $$rc; }; \
		echo "comparison written to $$out/"; \
	else \
		$(OUT)/bin/bpfcost-report $${PERCALL:+--percall "$$PERCALL"} \
			$${ESTIMATOR:+--estimator "$$ESTIMATOR"} "$$RESULTS"; \
	fi

# The paper tables and figure made afresh, compiled on a page: RESULTS/paper.pdf.
paper: $(OUT)/bin/bpfcost-report
	$(Q)$(OUT)/bin/bpfcost-report -q --paper $${PERCALL:+--percall "$$PERCALL"} \
		$${ESTIMATOR:+--estimator "$$ESTIMATOR"} "$$RESULTS"
