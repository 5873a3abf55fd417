# healthplatform.aws -- one entry point for the lab, the demo and the tests.
#
#   make demo       the main job on the local lab: install, lab up, provision,
#                   start and configure instances, summary
#   make test       the whole suite: lint, sanity, unit, molecule
#
# Everything is re-runnable. `make help` lists the other targets.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
LAB := $(CURDIR)/scripts/lab.sh
COLLECTION_LINK := $(CURDIR)/.lab/collections/ansible_collections/healthplatform/aws

export PATH := $(BIN):$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export CONTAINERS_CONF := $(CURDIR)/.lab/containers.conf
export ANSIBLE_FORCE_COLOR ?= 0
export PY_COLORS ?= 0

.PHONY: help deps venv collection lab-up lab-reset lab-down image demo test lint sanity unit molecule bench build ee-context clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

deps: ## host packages (podman, runc, debootstrap, ...) via apt, as root
	@$(LAB) deps

$(VENV)/.installed: requirements-dev.txt requirements.txt
	@$(LAB) deps
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "[make] installing the development environment into .venv (a few minutes the first time)"
	@$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed ## project-local virtualenv with ansible, moto, molecule, linters

collection: ## make this checkout importable as healthplatform.aws
	@mkdir -p $(dir $(COLLECTION_LINK))
	@ln -sfn $(CURDIR) $(COLLECTION_LINK)

lab-up: venv collection ## start the AWS emulator (or use $$AWS_ENDPOINT_URL)
	@$(LAB) up

lab-reset: ## empty the emulator
	@$(LAB) reset

lab-down: ## stop the emulator and remove the lab's containers and networks
	@$(LAB) down

image: deps ## build or load the instance image (Debian 12 + systemd)
	@$(LAB) image

demo: venv collection lab-up image ## the main job on the local lab
	@$(CURDIR)/scripts/demo.sh

test: lint sanity unit molecule ## the whole suite
	@echo "[make] all tests passed"

lint: venv collection ## ruff and ansible-lint (production profile)
	ruff check .
	ruff format --check .
	ansible-lint --profile production

sanity: venv ## ansible-test sanity, no ignore entries
	@$(CURDIR)/scripts/sanity.sh

unit: venv collection ## pytest for the plugins (moto server; botocore Stubber where moto lacks the API)
	@$(CURDIR)/scripts/pytest.sh tests/unit

molecule: venv collection image ## molecule scenarios (platform, instance, operations)
	@$(CURDIR)/scripts/molecule.sh

bench: venv collection ## benchmark figures (JSON) on fresh emulators
	@python $(CURDIR)/benchmarks/provisioning.py
	@python $(CURDIR)/benchmarks/inventory.py
	@python $(CURDIR)/benchmarks/patch_window.py

build: venv ## build the collection tarball into .lab/dist
	@mkdir -p .lab/dist
	ansible-galaxy collection build --force --output-path .lab/dist

ee-context: build ## write the execution environment build context into context/
	ansible-builder create --file execution-environment.yml --context context

clean: lab-down ## remove the lab state and the virtualenv
	rm -rf .lab .venv context tests/output
