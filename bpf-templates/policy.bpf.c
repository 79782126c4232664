// SPDX-License-Identifier: GPL-2.0
/*
 * aarm kernel target: the hand-written BPF LSM programs. targets/bpf fills the slots below with generated C
 * (which hooks this policy needs and how large its maps are); everything the policy forbids arrives as map
 * contents, written by the loader from maps.bin. Lookups are hash or LPM-trie lookups: one per path component
 * for paths, one for the address plus a bounded scan of that address block's port ranges for connects.
 *
 * Enforcement applies to the processes of the agent's cgroups (aarm_cgroups, and their descendants) unless the
 * loader was asked for the unscoped mode. Every denial is reported through the aarm_events ring buffer.
 */
/*@slot HEADER@*/
#include "aarm-kernel.h"

/*@slot CONFIG@*/

/*@slot POLICY@*/

char LICENSE[] SEC("license") = "GPL";

#define PATH_KEY 256       /* targets/bpf/layout.ts PATH_KEY_BYTES */
#define PATH_BUF 4096      /* PATH_MAX: d_path of any path fits */
#define PORTSET_MAX 64     /* targets/bpf/layout.ts PORTSET_MAX_RANGES */
#define RULE_ID 128        /* targets/bpf/layout.ts RULE_ID_BYTES */
#define RULE_UNRESOLVED 0xffffffffU
#define CGROUP_DEPTH 16    /* cgroup levels checked above the current one */

#define HOOK_FILE_OPEN 1
#define HOOK_EXEC 2
#define HOOK_CONNECT 3

struct ino_key { __u64 ino; __u32 dev; __u32 pad; };
struct path_key { char p[PATH_KEY]; };
struct lpm4 { __u32 prefixlen; __u8 addr[4]; };
struct lpm6 { __u32 prefixlen; __u8 addr[16]; };
struct port_range { __u16 from; __u16 to; __u32 rule; };
struct portset { __u32 n; __u32 pad; struct port_range r[PORTSET_MAX]; };
struct rule_id { char id[RULE_ID]; };
struct config { __u32 unscoped; __u32 pad; };

/* A denial, as user space receives it (host/bpf/loader.c prints it as JSON). */
struct event {
	__u64 cgroup;
	__u32 pid;
	__u32 rule;
	__u8 hook;
	__u8 family;
	__u16 port;
	__u8 addr[16];
	char path[PATH_KEY];
};

struct scratch { char buf[PATH_BUF]; struct path_key key; };

#define HASH_MAP(name, k, v, n) \
	struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, n); __type(key, k); __type(value, v); } name SEC(".maps")

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, struct config); } aarm_config SEC(".maps");
/* [0] denials, [1] events lost because the ring buffer was full */
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 2); __type(key, __u32); __type(value, __u64); } aarm_stats SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, AARM_RULES); __type(key, __u32); __type(value, struct rule_id); } aarm_rules SEC(".maps");
HASH_MAP(aarm_cgroups, __u64, __u8, 64);
HASH_MAP(aarm_file_ino, struct ino_key, __u32, AARM_FILE_INO);
HASH_MAP(aarm_file_path, struct path_key, __u32, AARM_FILE_PATH);
HASH_MAP(aarm_file_dir, struct path_key, __u32, AARM_FILE_DIR);
HASH_MAP(aarm_exec_ino, struct ino_key, __u32, AARM_EXEC_INO);
HASH_MAP(aarm_exec_path, struct path_key, __u32, AARM_EXEC_PATH);
HASH_MAP(aarm_exec_dir, struct path_key, __u32, AARM_EXEC_DIR);
struct { __uint(type, BPF_MAP_TYPE_LPM_TRIE); __uint(max_entries, AARM_NET4); __uint(map_flags, BPF_F_NO_PREALLOC);
	 __type(key, struct lpm4); __type(value, __u32); } aarm_net4 SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_LPM_TRIE); __uint(max_entries, AARM_NET6); __uint(map_flags, BPF_F_NO_PREALLOC);
	 __type(key, struct lpm6); __type(value, __u32); } aarm_net6 SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, AARM_PORTSETS); __type(key, __u32); __type(value, struct portset); } aarm_portsets SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 256 * 1024); } aarm_events SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, struct scratch); } aarm_scratch SEC(".maps");

static __always_inline void count(__u32 i)
{
	__u64 *c = bpf_map_lookup_elem(&aarm_stats, &i);
	if (c)
		__sync_fetch_and_add(c, 1);
}

/* Is the current task one the policy applies to: in a scoped cgroup or below one, or everything when unscoped? */
static __always_inline int in_scope(void)
{
	__u32 zero = 0;
	struct config *cfg = bpf_map_lookup_elem(&aarm_config, &zero);
	if (!cfg)
		return 0;
	if (cfg->unscoped)
		return 1;
	for (int level = 0; level < CGROUP_DEPTH; level++) {
		__u64 id = bpf_get_current_ancestor_cgroup_id(level);
		if (id == 0)
			return 0;
		if (bpf_map_lookup_elem(&aarm_cgroups, &id))
			return 1;
	}
	/* deeper than CGROUP_DEPTH: the current cgroup itself */
	__u64 self = bpf_get_current_cgroup_id();
	return bpf_map_lookup_elem(&aarm_cgroups, &self) != 0;
}

static __always_inline int deny(__u8 hook, __u32 rule, const char *path, __u8 family, const __u8 *addr, __u16 port)
{
	count(0);
	struct event *e = bpf_ringbuf_reserve(&aarm_events, sizeof(*e), 0);
	if (!e) {
		count(1);
		return -AARM_EPERM;
	}
	e->cgroup = bpf_get_current_cgroup_id();
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->rule = rule;
	e->hook = hook;
	e->family = family;
	e->port = port;
	__builtin_memset(e->addr, 0, sizeof(e->addr));
	if (addr)
		bpf_probe_read_kernel(e->addr, family == 4 ? 4 : 16, addr);
	e->path[0] = 0;
	if (path)
		bpf_probe_read_kernel_str(e->path, sizeof(e->path), path);
	bpf_ringbuf_submit(e, 0);
	return -AARM_EPERM;
}

/*
 * Match a canonical path against exact paths and subtrees. The key is built byte by byte, zero-padded: at every
 * '/' it holds the prefix before it (looked up as a subtree), at the end the whole path (a subtree or an exact
 * path). Rule paths are at most 255 bytes, so only the first 256 bytes of a longer path matter.
 * Returns the rule index + 1, or 0.
 */
static __always_inline __u32 match_path(struct scratch *s, void *exact, void *dirs)
{
	__builtin_memset(&s->key, 0, sizeof(s->key));
	for (int i = 0; i < PATH_KEY; i++) {
		char ch = s->buf[i];
		if (ch == 0 || (ch == '/' && i > 0)) {
			__u32 *r = bpf_map_lookup_elem(dirs, &s->key);
			if (r)
				return *r + 1;
			if (ch == 0) {
				r = bpf_map_lookup_elem(exact, &s->key);
				return r ? *r + 1 : 0;
			}
		}
		s->key.p[i] = ch;
	}
	return 0;
}

/* Inode first (catches hard links), then the canonical path. Returns the rule index + 1, or 0. */
static __always_inline __u32 check_file(struct file *f, struct path *p, void *inodes, void *exact, void *dirs,
					struct scratch *s)
{
	struct ino_key ik = {};
	ik.ino = BPF_CORE_READ(f, f_inode, i_ino);
	ik.dev = BPF_CORE_READ(f, f_inode, i_sb, s_dev);
	__u32 *r = bpf_map_lookup_elem(inodes, &ik);
	long n = bpf_d_path(p, s->buf, sizeof(s->buf));
	if (n <= 0)
		s->buf[0] = 0;
	if (r)
		return *r + 1;
	if (n <= 0)
		return RULE_UNRESOLVED + 1; /* cannot tell where this file is: fail closed */
	return match_path(s, exact, dirs);
}

/* The file hooks: for the agent's processes, deny a file that matches by inode or canonical path. */
static __always_inline int enforce_file(__u8 hook, struct file *f, void *inodes, void *exact, void *dirs)
{
	if (!in_scope())
		return 0;
	__u32 zero = 0;
	struct scratch *s = bpf_map_lookup_elem(&aarm_scratch, &zero);
	if (!s)
		return -AARM_EPERM;
	__u32 hit = check_file(f, &f->f_path, inodes, exact, dirs, s);
	if (hit)
		return deny(hook, hit - 1, s->buf, 0, 0, 0);
	return 0;
}

#if AARM_HOOK_FILE_OPEN
SEC("lsm/file_open")
int BPF_PROG(aarm_file_open, struct file *file, int ret)
{
	if (ret)
		return ret;
	return enforce_file(HOOK_FILE_OPEN, file, &aarm_file_ino, &aarm_file_path, &aarm_file_dir);
}
#endif

#if AARM_HOOK_EXEC
SEC("lsm/bprm_check_security")
int BPF_PROG(aarm_exec, struct linux_binprm *bprm, int ret)
{
	if (ret)
		return ret;
	return enforce_file(HOOK_EXEC, bprm->file, &aarm_exec_ino, &aarm_exec_path, &aarm_exec_dir);
}
#endif

#if AARM_HOOK_CONNECT
static __always_inline __u32 match_port(__u32 set, __u16 port)
{
	struct portset *ps = bpf_map_lookup_elem(&aarm_portsets, &set);
	if (!ps)
		return 0;
	__u32 n = ps->n;
	for (int i = 0; i < PORTSET_MAX; i++) {
		if (i >= n)
			break;
		if (port >= ps->r[i].from && port <= ps->r[i].to)
			return ps->r[i].rule + 1;
	}
	return 0;
}

SEC("lsm/socket_connect")
int BPF_PROG(aarm_socket_connect, struct socket *sock, struct sockaddr *address, int addrlen, int ret)
{
	if (ret)
		return ret;
	if (!in_scope())
		return 0;
	__u16 family = 0;
	if (addrlen < 2 || bpf_probe_read_kernel(&family, sizeof(family), address))
		return 0;
	__u8 sa[24] = {}; /* sockaddr_in (16 bytes) or sockaddr_in6 up to the address (24 bytes) */
	struct lpm4 k4 = { .prefixlen = 32 };
	if (family == AARM_AF_INET) {
		if (addrlen < 16 || bpf_probe_read_kernel(sa, 16, address))
			return 0; /* the kernel refuses a short address itself */
		__builtin_memcpy(k4.addr, &sa[4], 4);
	} else if (family == AARM_AF_INET6) {
		if (addrlen < 24 || bpf_probe_read_kernel(sa, 24, address))
			return 0;
		int mapped = 1;
		for (int i = 8; i < 18; i++)
			if (sa[i])
				mapped = 0;
		if (mapped && sa[18] == 0xff && sa[19] == 0xff) {
			family = AARM_AF_INET; /* IPv4-mapped IPv6: the connection goes to the IPv4 address */
			__builtin_memcpy(k4.addr, &sa[20], 4);
		}
	} else {
		return 0;
	}
	__u16 port = ((__u16)sa[2] << 8) | sa[3];
	__u32 *set;
	if (family == AARM_AF_INET) {
		set = bpf_map_lookup_elem(&aarm_net4, &k4);
	} else {
		struct lpm6 k6 = { .prefixlen = 128 };
		__builtin_memcpy(k6.addr, &sa[8], 16);
		set = bpf_map_lookup_elem(&aarm_net6, &k6);
	}
	if (!set)
		return 0;
	__u32 hit = match_port(*set, port);
	if (!hit)
		return 0;
	if (family == AARM_AF_INET)
		return deny(HOOK_CONNECT, hit - 1, 0, 4, k4.addr, port);
	return deny(HOOK_CONNECT, hit - 1, 0, 6, &sa[8], port);
}
#endif
