# SPDX-License-Identifier: GPL-2.0
# The loader library (attach one probe, verify it) and the commands built on it.

LOADER_LIB_SRCS := $(filter-out loader/loader_main.c loader/agent%.c,$(wildcard loader/*.c))
LOADER_LIB_OBJS := $(patsubst loader/%.c,$(OUT)/loader/%.o,$(LOADER_LIB_SRCS))
AGENT_OBJS	:= $(patsubst loader/%.c,$(OUT)/loader/%.o,$(wildcard loader/agent*.c))

ARCHIVES += $(OUT)/libloader.a
BINS	 += $(OUT)/bin/bpfcost-loader
ifneq ($(AGENT_OBJS),)
BINS	 += $(OUT)/bin/bpfcost-agent
endif

# Where the build leaves probe objects; used when the loader runs from elsewhere.
LOADER_CFLAGS := -DBPFCOST_BUILD_PROGS_DIR=\"$(CURDIR)/$(OUT)/progs\"

$(OUT)/loader/%.o: loader/%.c $(wildcard loader/*.h)
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LOADER_CFLAGS) -c $< -o $@

$(OUT)/libloader.a: $(LOADER_LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(OUT)/bin/bpfcost-loader: $(OUT)/loader/loader_main.o $(OUT)/libloader.a
	@mkdir -p $(@D)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -lbpf -lelf -lz -lcjson -o $@

$(OUT)/bin/bpfcost-agent: $(AGENT_OBJS) $(OUT)/libloader.a
	@mkdir -p $(@D)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -lbpf -lelf -lz -lcjson -o $@
