# georepro — see README.md. Two commands matter:
#   make reproduce   install what is missing, execute every notebook, write results/
#   make test        lint (eslint), unit tests + one notebook end to end on tiny data
# Overrides: make reproduce SEED=7 SEEDS=3 SCALE=paper EPOCHS=100 OUT=results-7
# Own data:  make ingest FROM=raw.tsv COLUMNS=user:user_id,lat:latitude,lon:longitude
#            make reproduce DATA=raw LEVEL=state|city|country   (see README "Your own data")
SHELL := /bin/bash
.DEFAULT_GOAL := help

SEED ?=
SEEDS ?=
SPLITS ?=
SCALE ?=
EPOCHS ?=
OUT ?=
NOTEBOOKS ?=
DATA ?=
LEVEL ?=
MIN_USERS ?=
PORT ?= 8888

# Parameters travel to notebooks as environment variables (see lib/runtime/params.ts).
PARAM_ENV := $(if $(SEED),GEOREPRO_SEED=$(SEED)) $(if $(SEEDS),GEOREPRO_SEEDS=$(SEEDS)) $(if $(SPLITS),GEOREPRO_SPLITS=$(SPLITS)) \
             $(if $(SCALE),GEOREPRO_SCALE=$(SCALE)) $(if $(EPOCHS),GEOREPRO_EPOCHS=$(EPOCHS)) \
             $(if $(OUT),GEOREPRO_OUT=$(OUT)) $(if $(DATA),GEOREPRO_DATA=$(DATA)) \
             $(if $(LEVEL),GEOREPRO_LEVEL=$(LEVEL)) $(if $(MIN_USERS),GEOREPRO_MIN_USERS=$(MIN_USERS))

# What the two commands need on a bare Debian bookworm (git, make, ca-certificates, Node 20 only).
# python3-ipython: tslab's kernel installer imports IPython besides jupyter_client.
# python3-sklearn/-scipy/-numpy: notebook 07 checks its multinomial NB against scikit-learn on the run's data.
# snakemake: the workflow engine make reproduce runs the experiment graph on (workflow/Snakefile).
APT_PACKAGES := jupyter-nbconvert python3-nbclient jupyter-client python3-ipython chromium fonts-dejavu-core python3-sklearn python3-scipy python3-numpy snakemake
# What make test needs beyond the two commands' setup: the peers it checks our numerics against
# (scikit-learn NB, numpy IGR, scipy's exact binomial test) and Jupyter Notebook, in which a test
# opens a notebook in Chromium to check that `make notebook` draws interactive figures.
# munge, slurmd, slurmctld, slurm-client: the one-node Slurm cluster the cluster tests start
# (scripts/slurm-local.ts); snakemake: the workflow engine the experiment graph runs on.
TEST_APT_PACKAGES := python3-sklearn python3-scipy python3-numpy jupyter-notebook munge slurmd slurmctld slurm-client snakemake
# Peers for make bench (PyTorch for the training-step ratios, gensim for word2vec's).
BENCH_APT_PACKAGES := python3-torch python3-gensim $(TEST_APT_PACKAGES)
JUPYTER_PATH := $(CURDIR)/.jupyter/share/jupyter
KERNEL := $(JUPYTER_PATH)/kernels/tslab/kernel.json

.PHONY: help setup apt npm kernel build notebooks reproduce test notebook data bench clean distclean ingest example-tweets plan gpu-smoke

help:
	@echo "make reproduce   run the experiment graph (Snakemake) and every notebook headlessly, write results/ (SEED= SEEDS= SCALE=tiny|default|paper EPOCHS= OUT=)"
	@echo "                 CORES=n (default: all), CLUSTER=slurm: every unit a Slurm job (README \"The experiment graph\")"
	@echo "                 DATA=NAME [LEVEL=state|city|country MIN_USERS=5]: your own dataset (data-manifests/NAME.json) into results-NAME/"
	@echo "make ingest      FROM=file [FORMAT=tsv|csv|jsonl NAME= COLUMNS=user:COL,text:COL,lat:COL,lon:COL PER=tweet|user STRICT=1]"
	@echo "                 raw microblog data -> data/NAME/users.jsonl + data-manifests/NAME.json"
	@echo "make example-tweets  a small raw tweet file shaped like a crawl (data/raw/example-tweets.tsv), for the README's worked example"
	@echo "make test        unit tests + one notebook end to end on tiny data"
	@echo "make notebook    open the notebooks in Jupyter Notebook on localhost:$(PORT)"
	@echo "make data        fetch every real dataset (GeoText, its raw text, Flickr Vienna) into data/NAME and verify checksums"
	@echo "make bench       run the benchmarks in bench/ (installs python3-torch, python3-sklearn for the peer comparisons)"
	@echo "make plan        what a run costs before it runs: trainings, CPU-hours, wall time on N cores / nodes (SCALE= SEEDS= EPOCHS= CORES=1,2,16 NODES=4x16 GPU_SPEEDUP=; CHECK=OUT: against a finished run)"
	@echo "make gpu-smoke   train MRLF at tiny scale on the GPU and on the CPU and compare accuracy (README \"GPU\")"
	@echo "make clean       drop caches (.cache: generated data, trained models, image features) and dist/"

# ---- installation: only what is missing ------------------------------------
# The Debian packages and the npm install + TypeScript build do not need each other, so they run
# side by side (on a fresh machine apt takes ~80 s, npm + build ~40 s); the kernelspec needs both.
# A goal that needs more Debian packages names them in APT_EXTRA (test, bench, notebook), so one
# apt-get run installs everything.
APT_EXTRA ?=
setup:
	@$(MAKE) --no-print-directory -j2 apt build APT_EXTRA="$(APT_EXTRA)"
	@$(MAKE) --no-print-directory kernel

# Install the Debian packages in $(1) that are missing (apt-get update only when something is).
# munge's postinst makes its key with `su munge -c mungekey`, which fails (and with it slurmd,
# slurmctld, slurm-client) where "/" is closed to other users, as in fresh-machine's chroot; a key
# that is already there is only chowned, so we write the same 1024 random bytes first.
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "setup: installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  case " $$missing " in *" munge "*) [ -e /etc/munge/munge.key ] || { \
	    echo "setup: creating /etc/munge/munge.key (munge's own install step fails where / is closed to other users)"; \
	    $$SUDO mkdir -p /etc/munge && $$SUDO sh -c 'umask 077; head -c 1024 /dev/urandom > /etc/munge/munge.key'; }; esac; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi
endef

apt:
	$(call apt_install,$(sort $(APT_PACKAGES) $(APT_EXTRA)))

# npm ci only when package-lock.json changed since the last install.
npm: node_modules/.georepro-installed
node_modules/.georepro-installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	ln -sfn .. node_modules/georepro
	touch $@

# The tslab kernelspec lives under .jupyter/ in the project: nothing user-global is touched.
# Its command is tools/tslab-kernel: tslab behind the zeromq fixes of scripts/tslab-kernel.ts.
kernel: npm
	@if ! grep -qs "$(CURDIR)/tools/tslab-kernel" $(KERNEL); then \
	  node_modules/.bin/tslab install --python=/usr/bin/python3 --binary=$(CURDIR)/tools/tslab-kernel --prefix=$(CURDIR)/.jupyter; \
	fi

build: npm
	rm -rf dist  # a source removed since the last build must not leave its compiled test behind
	node_modules/.bin/tsc -p tsconfig.json
	node_modules/.bin/tsc -p tsconfig.notebooks.json
	node dist/scripts/check-echoes.js
	node dist/scripts/build-notebooks.js --check

# Regenerate notebooks/*.ipynb from their sources in notebooks/src/.
notebooks: npm
	node_modules/.bin/tsc -p tsconfig.json
	node dist/scripts/build-notebooks.js

# ---- the two commands ----------------------------------------------------------
# make reproduce runs the experiment graph (workflow/Snakefile, lib/workflow/graph.ts) with Snakemake:
# on this machine's cores (CORES=, default nproc), or with CLUSTER=slurm as Slurm jobs (sbatch; the
# project and GEOREPRO_CACHE on a file system every node sees). Units already done (a marker under
# .cache/done/) are not run again. The report is written even when a unit fails (it lists what ran).
# Interrupted (Ctrl-C: 130, SIGTERM: 143), the driver has said in one line which units finished; the
# next make reproduce resumes from them. The driver runs in the background of the recipe's shell so
# that a signal sent to make (which passes it to this shell only) reaches it: a shell defers its traps
# while a foreground command runs.
CLUSTER ?=
CORES ?=
reproduce: APT_EXTRA := $(if $(filter slurm,$(CLUSTER)),slurm-client)
reproduce: setup
	@rc=0; $(PARAM_ENV) $(if $(CLUSTER),CLUSTER=$(CLUSTER)) $(if $(CORES),CORES=$(CORES)) node dist/scripts/workflow.js $(NOTEBOOKS) & pid=$$!; \
	trap 'kill -TERM $$pid 2>/dev/null' INT TERM HUP; \
	wait $$pid; rc=$$?; while kill -0 $$pid 2>/dev/null; do wait $$pid; rc=$$?; done; \
	if [ $$rc -ne 0 ] && [ $$rc -ne 130 ] && [ $$rc -ne 143 ] && [ $$rc -ne 129 ]; then echo "make reproduce: failed (see the lines above); results/README.md lists what ran"; fi; exit $$rc

test: APT_EXTRA := $(TEST_APT_PACKAGES)
# eslint (≈ 40 s of one core) runs beside the tests, which leave the second core mostly idle; its findings are
# printed after them and fail the goal like a failed test.
test: setup
	@lint=$$(mktemp); node_modules/.bin/eslint --max-warnings 0 . >$$lint 2>&1 & pid=$$!; \
	GEOREPRO_SCALE=tiny node --test --test-reporter=spec dist/test/; t=$$?; \
	wait $$pid; e=$$?; \
	if [ $$e = 0 ]; then echo "eslint: no findings"; else echo "eslint: findings (exit $$e):"; cat $$lint; fi; rm -f $$lint; \
	[ $$t = 0 ] && [ $$e = 0 ]

# ---- own data --------------------------------------------------------------------
# make ingest FROM=raw.tsv [FORMAT=tsv|csv|jsonl] [NAME=raw] [COLUMNS=user:COL,text:COL,lat:COL,lon:COL,state:COL,city:COL,country:COL]
#             [PER=tweet|user] [HEADER=0] [STRICT=1] [SYNTHETIC=1]
truthy = $(filter 1 yes true,$(1))
ingest: build
	@if [ -z "$(FROM)" ]; then echo "make ingest: FROM=file is required (e.g. make ingest FROM=data/raw/tweets.tsv COLUMNS=user:user_id,lat:latitude,lon:longitude)"; exit 2; fi
	node dist/scripts/ingest.js --from "$(FROM)" $(if $(FORMAT),--format "$(FORMAT)") $(if $(NAME),--name "$(NAME)") \
	  $(if $(COLUMNS),--columns "$(COLUMNS)") $(if $(PER),--per "$(PER)") $(if $(filter 0 no false,$(HEADER)),--no-header) \
	  $(if $(call truthy,$(STRICT)),--strict) $(if $(call truthy,$(SYNTHETIC)),--synthetic)

example-tweets: build
	node dist/scripts/example-tweets.js $(TO)

# ---- optional ------------------------------------------------------------------
notebook: APT_EXTRA := jupyter-notebook
notebook: setup
	cd notebooks && $(PARAM_ENV) GEOREPRO_INTERACTIVE=1 GEOREPRO_ROOT=$(CURDIR) JUPYTER_PATH=$(JUPYTER_PATH) \
	  JUPYTER_CONFIG_DIR=$(CURDIR)/.jupyter/config JUPYTER_DATA_DIR=$(CURDIR)/.jupyter/share/jupyter JUPYTER_RUNTIME_DIR=$(CURDIR)/.jupyter/runtime \
	  /usr/bin/jupyter notebook --ip=127.0.0.1 --port=$(PORT) --no-browser $$([ "$$(id -u)" = 0 ] && echo --allow-root)

data: build
	node dist/scripts/fetch-data.js

bench: APT_EXTRA := $(BENCH_APT_PACKAGES)
bench: setup
	node dist/bench/run-all.js

# What SCALE= costs before anyone pays it (scripts/plan.ts; step times from bench/step-times.json).
plan: build
	@$(PARAM_ENV) $(if $(CORES),CORES=$(CORES)) $(if $(NODES),NODES=$(NODES)) $(if $(GPU_SPEEDUP),GPU_SPEEDUP=$(GPU_SPEEDUP)) $(if $(CHECK),CHECK=$(CHECK)) node dist/scripts/plan.js

# MRLF at tiny scale on this machine's GPU and on its CPU, accuracies compared (bench/gpu-smoke.ts); exit 2: no GPU.
# libvulkan1: the Vulkan loader Dawn (npm webgpu) opens; the GPU's own driver provides the ICD.
gpu-smoke: APT_EXTRA := libvulkan1
gpu-smoke: setup
	node dist/bench/gpu-smoke.js

clean:
	rm -rf .cache dist

distclean: clean
	rm -rf node_modules .jupyter
