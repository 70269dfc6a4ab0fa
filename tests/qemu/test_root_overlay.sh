#!/bin/bash
# Stateless workers: two QEMU workers booted at once on one read-only NFSv4 export, each under
# ghost.overlay=tmpfs. Each writes a file the other must not see, each gets its own machine-id,
# and nothing lands in the export.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/worker.sh
. tests/lib/nfs.sh
logs=build/test-logs/qemu
worker_env rootovl
check "private copy of the worker root to export" worker_root_copy "$WORKER_EXPORT"
check "a private initramfs of build/ghostinit" worker_initramfs "$QEMU_INITRD"
before=$(cd "$WORKER_EXPORT" && find . -printf '%p %s %T@\n' | sort | sha256sum)
if nfs_start "$QEMU_NETNS" "$WORKER_EXPORT" --ro; then ok "Ganesha exports the root read-only"; else not_ok "Ganesha exports the root read-only"; fi

pids=()
for w in a b; do
	QEMU_NET="-netdev user,id=n0 -device virtio-net-pci,netdev=n0,mac=52:54:00:00:00:0${w/a/1}"
	QEMU_NET=${QEMU_NET/0b/02}
	# no_timer_check: two TCG guests starting together on a loaded host can fail the kernel's
	# IO-APIC timer check ("IO-APIC + timer doesn't work" panic) — seen once here.
	qemu_start "$logs/root-overlay-$w.console" "no_timer_check root=nfs4:10.0.2.2:$WORKER_EXPORT ghost.overlay=tmpfs:size=32m panic=-1 \
worker.write=/var/tmp/only-$w worker.write=/etc/written-by-$w worker.sleep=6 worker.list=/var/tmp"
	pids+=("$QEMU_PID")
	sleep 1
done
for i in 0 1; do
	QEMU_PID=${pids[$i]}
	qemu_wait 240
	rcs[$i]=$?
done
for w in a b; do
	log=$logs/root-overlay-$w.console
	other=$([ $w = a ] && echo b || echo a)
	check "worker $w: powered off by itself" grep -q 'reboot: Power down' "$log"
	check "worker $w: its init runs as PID 1" grep -q 'WORKER-INIT-REACHED pid=1[[:space:]]*$' "$log"
	check "worker $w: / is an overlay" grep -qE 'WORKER-ROOT overlay overlay rw' "$log"
	check "worker $w: the NFS lower layer is read-only" grep -qE "WORKER-MOUNTS .*/run/ghostboot/lower:nfs4" "$log"
	check "worker $w: wrote its files" bash -c "grep -q 'WORKER-WROTE /var/tmp/only-$w' '$log' && grep -q 'WORKER-WROTE /etc/written-by-$w' '$log'"
	check "worker $w: sees its own file" grep -qE "WORKER-LS /var/tmp: .*only-$w" "$log"
	check "worker $w: does not see the other's file" bash -c "! grep -qE 'WORKER-LS /var/tmp: .*only-$other' '$log'"
	check "worker $w: has a machine-id of its own" grep -qE 'WORKER-MACHINE-ID [0-9a-f]{32}' "$log"
done
id_a=$(grep -aoE 'WORKER-MACHINE-ID [0-9a-f]{32}' "$logs/root-overlay-a.console")
id_b=$(grep -aoE 'WORKER-MACHINE-ID [0-9a-f]{32}' "$logs/root-overlay-b.console")
nid_a=$(grep -aoE 'WORKER-NFS4-ID ghostboot-[0-9a-f]{12}' "$logs/root-overlay-a.console")
nid_b=$(grep -aoE 'WORKER-NFS4-ID ghostboot-[0-9a-f]{12}' "$logs/root-overlay-b.console")
check "each worker has its own NFSv4 client id (from its MAC)" bash -c "[ -n '$nid_a' ] && [ -n '$nid_b' ] && [ '$nid_a' != '$nid_b' ]"
check "the two machine-ids differ" bash -c "[ -n '$id_a' ] && [ '$id_a' != '$id_b' ]"
nfs_stop
after=$(cd "$WORKER_EXPORT" && find . -printf '%p %s %T@\n' | sort | sha256sum)
check "nothing landed in the export (tree unchanged)" [ "$before" = "$after" ]
check "the export's machine-id is still empty" test ! -s "$WORKER_EXPORT/etc/machine-id"
tap_done
