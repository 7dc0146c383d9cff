#!/usr/bin/env bash
# Runs the Isonet suite in a throwaway container (needs a Docker engine; not --privileged).
# Privileges: CAP_SYS_ADMIN for namespaces, CAP_NET_ADMIN for links, routes, nf_tables and net sysctls.
# Usage: ci/docker-run.sh [extra mvn args]. Files in target/ end up owned by root.
set -euo pipefail
cd "$(dirname "$0")/.."

# --cap-add NET_ADMIN / SYS_ADMIN: the two capabilities above; Docker's default set has neither.
# seccomp=unconfined: the default seccomp profile blocks unshare/setns/mount unless the container has
#   CAP_SYS_ADMIN (older engines and custom profiles block them outright); unconfined rules that out.
# apparmor=unconfined: docker-default denies mount and writes to /proc/sys/net/** (net.ipv6 forwarding
#   in router namespaces), even inside namespaces the container creates itself.
# systempaths=unconfined: Docker mounts /proc/sys read-only. Once the container owns a namespace with
#   CAP_NET_ADMIN, the kernel lets it set that namespace's net sysctls, but a read-only mount still refuses them.
#   Without it IPv4 still works (Isonet sets IPv4 forwarding through netlink); IPv6 host<->node routing does not.
docker run --rm \
  --cap-add NET_ADMIN --cap-add SYS_ADMIN \
  --security-opt seccomp=unconfined \
  --security-opt apparmor=unconfined \
  --security-opt systempaths=unconfined \
  -v "$PWD":/src -w /src \
  maven:3.9-eclipse-temurin-17 mvn -B verify "$@"

# Alternative: --privileged grants all capabilities and drops seccomp, AppArmor and the read-only /proc/sys:
# docker run --rm --privileged -v "$PWD":/src -w /src maven:3.9-eclipse-temurin-17 mvn -B verify "$@"
