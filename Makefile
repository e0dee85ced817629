# pgo: build, test and try it. Every target finds or installs its tools (scripts/with-tools).
MVN := scripts/with-tools mvn -B -q -Dstyle.color=never
MVN_VERBOSE := scripts/with-tools mvn -B --no-transfer-progress -Dstyle.color=never
DEMO_CLUSTER ?= demo

.PHONY: all setup build test chaos demo run clean help bench bench-quick

all: build

help:
	@echo "make build   build pgo (./pgo works afterwards), completion scripts in completion/, man pages in man/,"
	@echo "             an AOT cache for faster starts"
	@echo "make test    run every test (unit and integration, on real PostgreSQL)"
	@echo "make chaos   the fault tests at full length: 50 kill -9 rounds, 20 failovers in a row (about 4 minutes)"
	@echo "make bench   run every benchmark (about 30 minutes) and write docs/benchmarks.md"
	@echo "make bench-quick  the same with fewer runs and a smaller backup (a few minutes)"
	@echo "make demo    build, create a 3-instance cluster '$(DEMO_CLUSTER)' on the local platform and show it"
	@echo "make clean   remove build output"

setup:
	@scripts/with-tools true

build:
	$(MVN) install -DskipTests
	@# Shell completion, written from the command model of the pgo just built.
	@mkdir -p completion && ./pgo completion bash > completion/pgo.bash && ./pgo completion zsh > completion/_pgo
	@# Man pages from the same model: man -l man/pgo-show-cluster.1, or MANPATH=$$PWD/man man pgo
	@./pgo __man man/man1 > /dev/null
	@scripts/train-aot-cache

test:
	$(MVN_VERBOSE) install

# The same fault tests as make test runs, at full length (docs/reliability.md).
chaos:
	$(MVN_VERBOSE) install -DskipTests
	$(MVN_VERBOSE) -pl operator-core,pgo-cmd surefire:test -Dsurefire.failIfNoSpecifiedTests=false \
		-Dtest='KillNineTest,LocalFailoverTest,ApiFaultsTest,RbacTest,DiskFullTest,BadInputTest,SecretsHiddenTest,KubernetesResourcesTest,WatchedReadsTest' \
		-Dpgo.chaos.kills=50 -Dpgo.chaos.failovers=20 -Dpgo.chaos.mutations=3000

demo run: build
	@# A demo cluster left from an earlier run (perhaps stopped by a reboot) is brought back.
	@if ./pgo show cluster $(DEMO_CLUSTER) >/dev/null 2>&1; then ./pgo operator --once $(DEMO_CLUSTER); \
	else ./pgo create cluster $(DEMO_CLUSTER); fi
	./pgo show cluster $(DEMO_CLUSTER)
	./pgo show pvc all

bench: build
	@scripts/with-tools scripts/bench.sh

bench-quick: build
	@scripts/with-tools scripts/bench.sh --quick

clean:
	$(MVN) clean
