# SPDX-License-Identifier: GPL-2.0
#
# maple-harness: the kernel's maple tree and VMA code, tested in userspace.
#
#   make [KDIR=tree-or-tarball] [O=dir] [V=1] [CC=clang]
#   make check      the project's own tests
#   make help       targets and variables

KDIR	?= /usr/src/linux-source-6.12.tar.xz
O	?= .
V	?= 0

src	:= $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
obj	:= $(patsubst %/,%,$(abspath $(O)))
gen	:= $(obj)/generated

ifeq ($(V),1)
Q	:=
quiet	:= @true
else
Q	:= @
quiet	:= @printf '  %-8s %s\n'
endif

# make's built-in default is cc; keep a CC= from the command line or environment.
ifeq ($(origin CC),default)
CC	:= gcc
endif

CFLAGS	?= -O2 -g
WARN	:= -Wall -Wextra -Wno-unused-parameter
CPPFLAGS := -I$(obj) -I$(src) -I$(gen)/src/include -include $(gen)/autoconf.h \
	    -D_GNU_SOURCE
DEPFLAGS = -MMD -MP -MF $(@:.o=.d)
LDLIBS	:= -lurcu-memb -lurcu-common -lpthread

# Kernel code: an index past the end of an array of known size traps
# (SIGILL, a crash with the seed and op), as CONFIG_UBSAN_BOUNDS with
# CONFIG_UBSAN_TRAP does; 2-3% of the kernel's time.  The gcov, ASAN and
# fuzz builds leave it out (KCFLAGS=): the first would count its branches,
# the others have UBSAN's own reports.
KCFLAGS ?= -fsanitize=bounds -fsanitize-undefined-trap-on-error

# Kernel code: warnings we cannot fix are silenced here, for these files only.
KERNEL_CFLAGS := -D__KERNEL__ -Wno-sign-compare -Wno-missing-field-initializers \
		 -Wno-unused-but-set-variable -Wno-unused-function \
		 -Wno-type-limits -fno-strict-aliasing

harness_objs := harness.o runner.o replay.o kernel.o slab.o model.o call_rcu.o
maple_objs   := maple.o maple_check.o maple_tree.o rcu.o
vma_objs     := vma.o vma_model.o vma_stubs.o vma_kernel.o vma_api.o
objs	:= $(addprefix $(obj)/,$(harness_objs) $(maple_objs) $(vma_objs))
# What every object may include; the mmap.c extract is vma_api.c's alone,
# so a change to mm/mmap.c (a planted bug) rebuilds only that object.
genhdr	:= $(gen)/autoconf.h $(gen)/version.h $(gen)/features.h $(gen)/vma_guard.h

all: $(obj)/maple

# prepare runs every time: it links or extracts KDIR into generated/ when
# KDIR changed, and rewrites the probed headers only when they change.
$(genhdr) $(gen)/mmap_vma.c $(gen)/kdir &: FORCE
	$(Q)$(src)/scripts/prepare '$(KDIR)' '$(gen)'

$(obj)/maple_tree.o: $(gen)/src/lib/maple_tree.c $(genhdr) $(gen)/kdir
	@mkdir -p $(dir $@)
	$(quiet) CC $(subst $(src)/,,$<)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(KERNEL_CFLAGS) $(KCFLAGS) $(DEPFLAGS) -c -o $@ $<

$(gen)/src/lib/maple_tree.c: $(gen)/kdir

# The VMA functions scripts/extract-vma cut out of the tree's mm/mmap.c, and
# the adapters built on them: kernel code, so kernel flags.
$(obj)/vma_api.o: $(src)/vma_api.c $(gen)/mmap_vma.c $(genhdr) $(gen)/kdir
	@mkdir -p $(dir $@)
	$(quiet) CC vma_api.c
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(KERNEL_CFLAGS) $(KCFLAGS) $(DEPFLAGS) -c -o $@ $<

# The tree's mm/vma.c, through a wrapper that is empty on trees without it.
$(obj)/vma_kernel.o: $(src)/vma_kernel.c $(genhdr) $(gen)/kdir
	@mkdir -p $(dir $@)
	$(quiet) CC mm/vma.c
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(KERNEL_CFLAGS) $(KCFLAGS) $(DEPFLAGS) -c -o $@ $<

$(obj)/%.o: $(src)/%.c $(genhdr)
	@mkdir -p $(dir $@)
	$(quiet) CC $*.c
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(DEPFLAGS) -c -o $@ $<

$(obj)/maple: $(objs)
	$(quiet) LD $@
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(obj)/model_test: $(src)/model_test.c $(src)/model.c $(src)/model.h $(src)/test.h
	$(quiet) CC $@
	$(Q)$(CC) -I$(src) $(CFLAGS) $(WARN) -o $@ $(src)/model_test.c $(src)/model.c

# The project's own tests: the model, bad input, both supported trees,
# planted bugs.
check: $(obj)/model_test
	$(obj)/model_test
	$(src)/scripts/check-trees $(obj)/check
	$(src)/scripts/check-build
	$(src)/scripts/planted-bugs maple vma rcu
	KDIR=/usr/src/linux-source-6.1.tar.xz $(src)/scripts/planted-bugs maple rcu vma:vma61

# The same VMA seeds on two trees, op by op (scripts/compare-trees says what
# it compares).
KDIR_A ?= /usr/src/linux-source-6.1.tar.xz
KDIR_B ?= /usr/src/linux-source-6.12.tar.xz
compare:
	COMPARE_OUT=$(obj)/compare $(src)/scripts/compare-trees '$(KDIR_A)' '$(KDIR_B)'

# Coverage of the kernel files: gcov builds of their own, a fixed run, and
# reports (HTML, a text summary, Cobertura XML) under coverage/.  The run
# is a fixed number of sequences per suite, of the default lengths: about
# 28M maple ops, 2M vma ops and 2M rcu ops (what a default run did when
# maple sequences were 20000 ops and vma ones 2000), from a fixed seed, one
# per core: the counts of the same sequences add up the same in any order
# (gcov locks each .gcda file as it merges into it).  Two threads that run
# the same code at once with plain counters lose increments, and gcov
# derives negative branch counts from what is left (gcovr refuses them);
# atomic counters cost 2.5 times the time.  So the maple and vma suites run
# on a build with plain counters whose RCU callbacks wait for rcu_barrier()
# (call_rcu.c), and the rcu suite, whose readers race the writer by design,
# on one with atomic counters; the report adds the two up.  That one
# counts the kernel's code only (KCFLAGS): the harness's readers, at -O2
# and uncounted, take 40% less time.  The other still counts the
# harness's objects too, for the header inlines only they call.
COV_SEED ?= 1
cov_cflags = -O0 -g --coverage -DCOVERAGE
cov_run = --seed $(COV_SEED) -j0 --out $(obj)/coverage
coverage:
	$(Q)$(MAKE) -s O=$(obj)/coverage/build KDIR='$(KDIR)' \
		CFLAGS='$(cov_cflags) -DCALLBACKS_AT_BARRIER' KCFLAGS= \
		LDFLAGS=--coverage
	$(Q)$(MAKE) -s O=$(obj)/coverage/build-rcu KDIR='$(KDIR)' \
		CFLAGS='-O2 -g -DCOVERAGE' \
		KCFLAGS='$(cov_cflags) -fprofile-update=atomic' LDFLAGS=--coverage
	$(Q)find $(obj)/coverage/build $(obj)/coverage/build-rcu -name '*.gcda' -delete
	$(obj)/coverage/build/maple $(cov_run) --seqs 3200 maple
	$(obj)/coverage/build/maple $(cov_run) --seqs 2300 vma
	$(obj)/coverage/build-rcu/maple $(cov_run) --seqs 100 rcu
	$(Q)$(src)/scripts/coverage-report $(obj)/coverage

# libFuzzer: the maple op engine fed with bytes, clang with ASAN.  The
# harness's own main() steps aside for libFuzzer's.
FUZZ_CFLAGS ?= -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
fuzz:
	$(Q)$(MAKE) -s O=$(obj)/fuzz-build KDIR='$(KDIR)' CC=clang \
		CFLAGS='$(FUZZ_CFLAGS) -Dmain=maple_main' KCFLAGS= \
		$(obj)/fuzz-build/fuzz-maple
	@echo 'run: $(obj)/fuzz-build/fuzz-maple -max_total_time=60 CORPUS_DIR'

$(obj)/fuzz-maple: $(src)/fuzz/fuzz_maple.c $(objs)
	$(quiet) LD $@
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LDLIBS)

# Memory checkers, each on a build of its own and a short run.  The runner
# sees a tool's error as a failure of the sequence: ASAN and UBSAN abort
# (a crash, with the reproducer); Valgrind makes the child exit 1 (a
# failed check).  Valgrind follows forked children by itself.
SAN_ARGS ?= --seed 1 --seqs 4 --ops 20000 --timeout 300
SAN_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	      -fno-sanitize-recover=all
SAN_ENV := ASAN_OPTIONS=abort_on_error=1:halt_on_error=1:print_stacktrace=1 \
	   UBSAN_OPTIONS=abort_on_error=1:halt_on_error=1:print_stacktrace=1
asan:
	$(Q)$(MAKE) -s O=$(obj)/asan KDIR='$(KDIR)' CFLAGS='$(SAN_CFLAGS)' \
		KCFLAGS= LDFLAGS='-fsanitize=address,undefined'
	$(SAN_ENV) $(obj)/asan/maple $(SAN_ARGS) --out $(obj)/asan

# SLAB_REAL_FREE: slab.c frees at once, so that Valgrind sees a use after free.
valgrind:
	$(Q)$(MAKE) -s O=$(obj)/valgrind KDIR='$(KDIR)' \
		CFLAGS='-O2 -g -DSLAB_REAL_FREE'
	valgrind -q --error-exitcode=1 --leak-check=full \
		--suppressions=$(src)/scripts/valgrind.supp \
		$(obj)/valgrind/maple $(SAN_ARGS) --out $(obj)/valgrind

clean:
	rm -rf $(obj)/generated $(obj)/maple $(obj)/model_test $(obj)/*.o \
	       $(obj)/*.d $(obj)/check $(obj)/coverage $(obj)/asan \
	       $(obj)/valgrind $(obj)/fuzz-build $(obj)/compare

help:
	@echo 'Targets:'
	@echo '  all (default)  build ./maple from KDIR'
	@echo '  check          model unit tests, ./maple on 6.12 and 6.1, planted bugs'
	@echo '  coverage       gcov build, fixed run, reports in coverage/'
	@echo '  fuzz           libFuzzer target fuzz-build/fuzz-maple (clang)'
	@echo '  compare        VMA seeds on KDIR_A and KDIR_B (6.1, 6.12), per-op diffs'
	@echo '  asan           ASAN+UBSAN build in asan/, short run (SAN_ARGS)'
	@echo '  valgrind       plain build in valgrind/, short run under Valgrind'
	@echo '  clean          remove what make wrote (not the tarball cache, README)'
	@echo 'Variables:'
	@echo '  KDIR=path      kernel tree or linux-source tarball (default $(KDIR))'
	@echo '  O=dir          put every output under dir'
	@echo '  V=1            show commands'
	@echo '  CC=cc          compiler (gcc or clang)'
	@echo '  CFLAGS=...     compiler flags (default $(CFLAGS))'
	@echo '  KCFLAGS=...    more flags for the kernel'"'"'s code only, last'
	@echo '                 (default $(KCFLAGS))'

FORCE:
.PHONY: all asan check clean compare coverage fuzz help valgrind FORCE

-include $(objs:.o=.d)
