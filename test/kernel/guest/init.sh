#!/bin/busybox sh
# /init of the kernel-test guest (test/kernel/run.sh packs it into the initramfs). It loads the compiled example
# policy (examples/assistant) with the aarm-bpf loader and checks, one line per case, that the kernel stops what
# the policy forbids for the agent's cgroup and nothing else. Mode (from the kernel command line):
#   aarm_mode=enforce  all enforcement cases and the attached-vs-detached measurements
#   aarm_mode=nolsm    booted without bpf in lsm=: the loader must refuse, saying why
export PATH=/bin:/usr/bin
/bin/busybox mkdir -p /proc /sys /dev /tmp /usr/bin /root /etc /run
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s /bin
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t securityfs securityfs /sys/kernel/security
mount -t bpf bpf /sys/fs/bpf
mount -t cgroup2 cgroup2 /sys/fs/cgroup
MODE=$(sed -n 's/.*aarm_mode=\([a-z]*\).*/\1/p' /proc/cmdline)
echo "GUEST: kernel $(uname -r), mode $MODE, LSMs $(cat /sys/kernel/security/lsm)"

FAILS=0
PASSES=0
# check NAME EXPECTED ACTUAL: exit statuses of kops are 0 for success and 10+errno on failure (EPERM: 11).
check() {
  if [ "$2" = "$3" ]; then echo "PASS: $1"; PASSES=$((PASSES+1)); else echo "FAIL: $1 (expected $2, got $3)"; FAILS=$((FAILS+1)); fi
}
finish() {
  echo "RESULT: $PASSES passed, $FAILS failed"
  if [ $FAILS = 0 ]; then echo "RESULT: ALL PASS"; fi
  poweroff -f
}
PIN=/sys/fs/bpf/aarm

if [ "$MODE" = nolsm ]; then
  aarm-bpf check 2>/tmp/err; check "[T6] aarm-bpf check exits 4 when the bpf LSM is not active" 4 $?
  grep -q "bpf LSM is not active" /tmp/err; check "check says the bpf LSM is not active: $(cat /tmp/err)" 0 $?
  mkdir -p /sys/fs/cgroup/agent
  aarm-bpf load /policy.bpf.o /maps.bin $PIN --cgroup /sys/fs/cgroup/agent 2>/tmp/err
  check "[T6] load refuses (exit 4) when the bpf LSM is not active" 4 $?
  test ! -e $PIN; check "nothing is pinned after the refusal" 0 $?
  finish
fi

# --- the guest's file system: what the example policy forbids, and neighbours it must not touch
rm -f /bin/nc                                   # busybox's applet link; the forbidden programs are real files
cp /bin/hello /usr/bin/nc && cp /bin/hello /bin/nc && cp /bin/hello /tmp/allowed
echo 'root:$6$hash:19000::::::' > /etc/shadow
echo 'root:!::' > /etc/gshadow
echo 'root:x:0:0:root:/root:/bin/sh' > /etc/passwd
echo backup > /etc/shadow.bak
mkdir -p /root/.ssh /root/.sshx
echo key > /root/.ssh/id_ed25519
echo notes > /root/.sshx/notes
echo notes > /root/notes
ip link set lo up
for a in 203.0.113.5 203.0.114.5 169.254.169.254; do ip addr add $a/32 dev lo; done
for a in 2001:db8::5 2001:db9::5 fd00:ec2::254; do ip -6 addr add $a/128 dev lo nodad 2>/dev/null || ip -6 addr add $a/128 dev lo; done
sleep 1
AG=/sys/fs/cgroup/agent
mkdir -p $AG
agent() { kops -c $AG "$@"; }

echo "--- before loading: the agent can do everything"
agent open /etc/shadow; check "baseline: agent opens /etc/shadow" 0 $?
agent exec /usr/bin/nc; check "baseline: agent runs /usr/bin/nc" 0 $?
agent connect 169.254.169.254 80; check "baseline: agent connects to 169.254.169.254:80" 0 $?

echo "--- the kernel can enforce"
grep -q '\(^\|,\)bpf\(,\|$\)' /sys/kernel/security/lsm; check "[T6] bpf is an active LSM (/sys/kernel/security/lsm)" 0 $?
aarm-bpf check >/dev/null; check "aarm-bpf check: BTF present and bpf LSM active" 0 $?
for n in 1 2 3 4 5; do agent bench open /etc/passwd 2000 >> /tmp/bench-open-detached; done
for n in 1 2 3 4 5; do agent bench exec /tmp/allowed 100 >> /tmp/bench-exec-detached; done
for n in 1 2 3 4 5; do agent bench connect 127.0.0.1 8090 500 >> /tmp/bench-connect-detached; done

echo "--- loading the compiled example policy for the agent's cgroup"
aarm-bpf load /policy.bpf.o /maps.bin $PIN 2>/tmp/err; check "load without --cgroup or --unscoped is refused (usage)" 2 $?
aarm-bpf load /policy.bpf.o /maps.bin $PIN --cgroup $AG; check "load examples/assistant for the agent cgroup" 0 $?
aarm-bpf load /policy.bpf.o /maps.bin $PIN --cgroup $AG 2>/tmp/err; check "a second load is refused while one is loaded" 1 $?
aarm-bpf status $PIN | grep -q '"loaded":true'; check "status reports the program loaded" 0 $?

echo "--- file.open: no-shadow (path /etc/shadow, /etc/gshadow)"
ln /etc/shadow /tmp/shadow-hardlink
ln -s /etc/shadow /tmp/shadow-symlink
agent open /etc/shadow; check "[T6] [C4] open /etc/shadow -> EPERM" 11 $?
agent open /etc/gshadow; check "[T6] [C4] open /etc/gshadow -> EPERM" 11 $?
agent open //etc/shadow; check "[T6] [C4] open //etc/shadow -> EPERM" 11 $?
agent open /etc/./shadow; check "[T6] [C4] open /etc/./shadow -> EPERM" 11 $?
agent open /etc/../etc/shadow; check "[T6] [C4] open /etc/../etc/shadow -> EPERM" 11 $?
(cd /etc && agent open ./shadow); check "[T6] [C4] open ./shadow from /etc -> EPERM" 11 $?
(cd /etc && agent open shadow); check "[T6] [C4] open shadow (relative) from /etc -> EPERM" 11 $?
(cd /root && agent open ../etc/shadow); check "[T6] [C4] open ../etc/shadow from /root -> EPERM" 11 $?
agent open /tmp/shadow-symlink; check "[T6] [C4] open a symlink to /etc/shadow -> EPERM" 11 $?
agent open /tmp/shadow-hardlink; check "[T6] [C4] open a hard link to /etc/shadow -> EPERM" 11 $?
sh -c "echo \$\$ > $AG/cgroup.procs; exec cat /etc/shadow" >/dev/null 2>/tmp/err; check "[C4] cat /etc/shadow from a shell in the agent cgroup fails" 1 $?
grep -q "Operation not permitted" /tmp/err; check "cat reports: $(cat /tmp/err)" 0 $?
agent open /etc/passwd; check "open /etc/passwd (allowed) -> ok" 0 $?
agent open /etc/shadow.bak; check "open /etc/shadow.bak (exact rule is exact) -> ok" 0 $?
kops open /etc/shadow; check "open /etc/shadow outside the agent cgroup -> ok" 0 $?
kops open /tmp/shadow-hardlink; check "open the hard link outside the agent cgroup -> ok" 0 $?

echo "--- file.open: no-root-ssh (under /root/.ssh)"
ln -s /root/.ssh /tmp/keys
agent open /root/.ssh/id_ed25519; check "[T6] [C4] open /root/.ssh/id_ed25519 -> EPERM" 11 $?
agent open /root/.ssh; check "[T6] [C4] open the directory /root/.ssh itself -> EPERM" 11 $?
echo new > /root/.ssh/created_after_load
agent open /root/.ssh/created_after_load; check "[T6] [C4] open a file created after loading -> EPERM" 11 $?
agent open /tmp/keys/id_ed25519; check "[T6] [C4] open through a symlinked directory -> EPERM" 11 $?
(cd /root/.ssh && agent open ./id_ed25519); check "[T6] [C4] open ./id_ed25519 from /root/.ssh -> EPERM" 11 $?
(cd /root && agent open .ssh//id_ed25519); check "[T6] [C4] open .ssh//id_ed25519 from /root -> EPERM" 11 $?
agent open /root/.sshx/notes; check "open /root/.sshx/notes (not under /root/.ssh) -> ok" 0 $?
agent open /root/notes; check "open /root/notes -> ok" 0 $?
kops open /root/.ssh/id_ed25519; check "open /root/.ssh/id_ed25519 outside the agent cgroup -> ok" 0 $?

echo "--- process.exec: no-netcat (path /usr/bin/nc, /bin/nc)"
ln /usr/bin/nc /tmp/nc-hardlink
ln -s /usr/bin/nc /tmp/nc-symlink
agent exec /usr/bin/nc; check "[T6] [C4] exec /usr/bin/nc -> EPERM" 11 $?
agent exec /bin/nc; check "[T6] [C4] exec /bin/nc -> EPERM" 11 $?
agent exec //usr/bin/nc; check "[T6] [C4] exec //usr/bin/nc -> EPERM" 11 $?
agent exec /usr/bin/../bin/nc; check "[T6] [C4] exec /usr/bin/../bin/nc -> EPERM" 11 $?
(cd /usr/bin && agent exec ./nc); check "[T6] [C4] exec ./nc from /usr/bin -> EPERM" 11 $?
(cd /usr && agent exec bin/nc); check "[T6] [C4] exec bin/nc (relative) from /usr -> EPERM" 11 $?
agent exec /tmp/nc-symlink; check "[T6] [C4] exec a symlink to /usr/bin/nc -> EPERM" 11 $?
agent exec /tmp/nc-hardlink; check "[T6] [C4] exec a hard link to /usr/bin/nc -> EPERM" 11 $?
sh -c "echo \$\$ > $AG/cgroup.procs; /usr/bin/nc" >/dev/null 2>&1; check "[C4] a shell in the agent cgroup cannot run /usr/bin/nc (126)" 126 $?
agent exec /tmp/allowed; check "exec /tmp/allowed -> ok" 0 $?
kops exec /usr/bin/nc; check "exec /usr/bin/nc outside the agent cgroup -> ok" 0 $?

echo "--- net.connect: no-cloud-metadata, no-blocklisted-networks, no-remote-shells"
agent connect 169.254.169.254 80; check "[T6] [C4] connect 169.254.169.254:80 -> EPERM" 11 $?
agent connect fd00:ec2::254 80; check "[T6] [C4] connect [fd00:ec2::254]:80 -> EPERM" 11 $?
agent connect 203.0.113.5 8080; check "[T6] [C4] connect 203.0.113.5:8080 (in 203.0.113.0/24) -> EPERM" 11 $?
agent connect 2001:db8::5 443; check "[T6] [C4] connect [2001:db8::5]:443 (in 2001:db8::/32) -> EPERM" 11 $?
agent connect 127.0.0.1 22; check "[T6] [C4] connect 127.0.0.1:22 (port rule) -> EPERM" 11 $?
agent connect 127.0.0.1 3389; check "[T6] [C4] connect 127.0.0.1:3389 -> EPERM" 11 $?
agent connect 127.0.0.1 5905; check "[T6] [C4] connect 127.0.0.1:5905 (in 5900..5910) -> EPERM" 11 $?
agent connect ::1 5900; check "[T6] [C4] connect [::1]:5900 -> EPERM" 11 $?
agent connect ::ffff:169.254.169.254 80; check "[T6] [C4] connect [::ffff:169.254.169.254]:80 (IPv4-mapped) -> EPERM" 11 $?
agent connect ::ffff:203.0.113.5 443; check "[T6] [C4] connect [::ffff:203.0.113.5]:443 (IPv4-mapped) -> EPERM" 11 $?
agent connect ::ffff:127.0.0.1 22; check "[T6] [C4] connect [::ffff:127.0.0.1]:22 (IPv4-mapped) -> EPERM" 11 $?
agent connect 203.0.114.5 8080; check "connect 203.0.114.5:8080 (outside the /24) -> ok" 0 $?
agent connect 2001:db9::5 443; check "connect [2001:db9::5]:443 (outside the /32) -> ok" 0 $?
agent connect 127.0.0.1 5911; check "connect 127.0.0.1:5911 (after the range) -> ok" 0 $?
agent connect 127.0.0.1 8081; check "connect 127.0.0.1:8081 -> ok" 0 $?
agent connect ::ffff:127.0.0.1 8082; check "connect [::ffff:127.0.0.1]:8082 -> ok" 0 $?
agent connect ::1 8083; check "connect [::1]:8083 -> ok" 0 $?
kops connect 169.254.169.254 80; check "connect 169.254.169.254:80 outside the agent cgroup -> ok" 0 $?
kops connect 127.0.0.1 22; check "connect 127.0.0.1:22 outside the agent cgroup -> ok" 0 $?

echo "--- denial events reach user space with rule ids"
aarm-bpf events $PIN --timeout-ms 500 > /tmp/events
echo "GUEST: $(wc -l < /tmp/events) events"
sed 's/^/EVENT: /' /tmp/events   # every event, for the host's receipt test (test/kernel/kernel.test.ts)
ev() { grep -c "$1" /tmp/events; }
check "[T1] events: file_open /etc/shadow by no-shadow" 1 $([ $(ev '"hook":"file_open".*"rule":"no-shadow".*"path":"/etc/shadow"') -ge 1 ] && echo 1)
check "[T1] events: file_open under /root/.ssh by no-root-ssh" 1 $([ $(ev '"rule":"no-root-ssh".*"path":"/root/.ssh/id_ed25519"') -ge 1 ] && echo 1)
check "[T1] events: bprm_check_security /usr/bin/nc by no-netcat" 1 $([ $(ev '"hook":"bprm_check_security".*"rule":"no-netcat".*"path":"/usr/bin/nc"') -ge 1 ] && echo 1)
check "[T1] events: socket_connect 169.254.169.254:80 by no-cloud-metadata" 1 $([ $(ev '"rule":"no-cloud-metadata".*"address":"169.254.169.254","port":80') -ge 1 ] && echo 1)
check "[T1] events: socket_connect 2001:db8::5 by no-blocklisted-networks" 1 $([ $(ev '"rule":"no-blocklisted-networks".*"family":6,"address":"2001:db8:0:0:0:0:0:5","port":443') -ge 1 ] && echo 1)
check "[T1] events: socket_connect 127.0.0.1:22 by no-remote-shells" 1 $([ $(ev '"rule":"no-remote-shells".*"address":"127.0.0.1","port":22') -ge 1 ] && echo 1)
check "events: every event is from the agent cgroup" 0 $(grep -vc "\"cgroup\":$(stat -c %i $AG)," /tmp/events)
DENIALS=$(grep -c '"hook"' /tmp/events)
aarm-bpf status $PIN | grep -q "\"denials\":$DENIALS,\"lostEvents\":0"; check "status counts $DENIALS denials, no lost events: $(aarm-bpf status $PIN)" 0 $?

echo "--- measurements: open, exec and connect in the agent cgroup, programs attached"
for n in 1 2 3 4 5; do agent bench open /etc/passwd 2000 >> /tmp/bench-open-attached; done
for n in 1 2 3 4 5; do agent bench exec /tmp/allowed 100 >> /tmp/bench-exec-attached; done
for n in 1 2 3 4 5; do agent bench connect 127.0.0.1 8090 500 >> /tmp/bench-connect-attached; done
for op in open exec connect; do
  d=$(sed 's/median_ns=//' /tmp/bench-$op-detached | sort -n | sed -n 3p)
  a=$(sed 's/median_ns=//' /tmp/bench-$op-attached | sort -n | sed -n 3p)
  echo "BENCH: $op detached_median_ns=$d attached_median_ns=$a ratio=$(awk "BEGIN{printf \"%.2f\", $a/$d}")"
done

echo "--- unload"
aarm-bpf unload $PIN >/dev/null; check "unload" 0 $?
agent open /etc/shadow; check "after unload: open /etc/shadow -> ok" 0 $?
agent exec /usr/bin/nc; check "after unload: exec /usr/bin/nc -> ok" 0 $?
agent connect 127.0.0.1 22; check "after unload: connect 127.0.0.1:22 -> ok" 0 $?
aarm-bpf status $PIN >/dev/null; check "status after unload: not loaded (exit 6)" 6 $?
finish
