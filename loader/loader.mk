# SPDX-License-Identifier: GPL-2.0
# The loader library (attach one probe, verify it) and the commands built on it.
# Sources and programs only: the top Makefile's rules compile, archive and link.

LOADER_SRCS  := $(wildcard loader/*.c)
AGENT_SRCS   := $(filter loader/agent%.c,$(LOADER_SRCS))
AGENT_OBJS   := $(patsubst %.c,$(OUT)/%.o,$(AGENT_SRCS))

ARCHIVES     += libloader
libloader_OBJS := $(patsubst %.c,$(OUT)/%.o, \
		  $(filter-out loader/loader_main.c $(AGENT_SRCS),$(LOADER_SRCS)))

# Where the build leaves probe objects; used when the loader runs from elsewhere.
CFLAGS_loader := -DBPFCOST_BUILD_PROGS_DIR=\"$(CURDIR)/$(OUT)/progs\"

BINS			+= bpfcost-loader
bpfcost-loader_OBJS	:= $(OUT)/loader/loader_main.o $(OUT)/libloader.a
bpfcost-loader_PKGS	:= libbpf libcjson zlib

ifneq ($(AGENT_OBJS),)
BINS			+= bpfcost-agent
bpfcost-agent_OBJS	:= $(AGENT_OBJS) $(OUT)/libloader.a
bpfcost-agent_PKGS	:= libbpf libcjson zlib
endif
