// SPDX-License-Identifier: MIT
/*
 * aarm-bpf: the loader of aarm's kernel target, a small program over libbpf.
 *
 *   aarm-bpf check                                         is this kernel able to enforce? (BTF, bpf LSM active)
 *   aarm-bpf load OBJECT MAPS PINDIR (--cgroup DIR... | --unscoped)
 *                                                          load + fill maps + attach; pin links and maps in PINDIR
 *   aarm-bpf unload PINDIR                                 detach (remove the pins)
 *   aarm-bpf status PINDIR                                 one JSON object: loaded, rules, denials, lost events
 *   aarm-bpf events PINDIR [--timeout-ms N] [--max N]      denial events as JSON lines, with rule ids
 *
 * Exit status: 0 ok, 1 failure (message on stderr), 2 usage, 3 no kernel BTF, 4 bpf LSM not active,
 * 5 the kernel refused to load or attach the programs, 6 not loaded.
 * Environment: AARM_SYSFS (default /sys) is where kernel state is read from.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define EXIT_FAIL 1
#define EXIT_USAGE 2
#define EXIT_NO_BTF 3
#define EXIT_NO_LSM 4
#define EXIT_REFUSED 5
#define EXIT_NOT_LOADED 6

#define RULE_ID 128
#define PATH_KEY 256
#define MAX_CGROUPS 64

struct event {
	uint64_t cgroup;
	uint32_t pid;
	uint32_t rule;
	uint8_t hook;
	uint8_t family;
	uint16_t port;
	uint8_t addr[16];
	char path[PATH_KEY];
};

struct config { uint32_t unscoped; uint32_t pad; };
struct ino_key { uint64_t ino; uint32_t dev; uint32_t pad; };

static const char *sysfs(void)
{
	const char *s = getenv("AARM_SYSFS");
	return s && *s ? s : "/sys";
}

static int fail(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("aarm-bpf: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return code;
}

static char verifier_log[64 * 1024];
static size_t verifier_len;

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !getenv("AARM_BPF_DEBUG"))
		return 0;
	if (verifier_len < sizeof(verifier_log) - 1) {
		int n = vsnprintf(verifier_log + verifier_len, sizeof(verifier_log) - verifier_len, fmt, ap);
		if (n > 0)
			verifier_len += (size_t)n < sizeof(verifier_log) - verifier_len ? (size_t)n : sizeof(verifier_log) - verifier_len - 1;
	}
	return 0;
}

/* --- check ------------------------------------------------------------------------------------------------ */

static int lsm_active(char *list, size_t size)
{
	char p[512];
	snprintf(p, sizeof p, "%s/kernel/security/lsm", sysfs());
	FILE *f = fopen(p, "r");
	if (!f) {
		snprintf(list, size, "(cannot read %s: %s)", p, strerror(errno));
		return 0;
	}
	size_t n = fread(list, 1, size - 1, f);
	fclose(f);
	list[n] = 0;
	while (n > 0 && (list[n - 1] == '\n' || list[n - 1] == ' '))
		list[--n] = 0;
	char copy[1024];
	snprintf(copy, sizeof copy, "%s", list);
	for (char *save, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (!strcmp(t, "bpf"))
			return 1;
	return 0;
}

static int check_kernel(int quiet)
{
	char p[512], lsm[1024];
	snprintf(p, sizeof p, "%s/kernel/btf/vmlinux", sysfs());
	if (access(p, R_OK) != 0)
		return fail(EXIT_NO_BTF, "this kernel has no BTF (%s: %s); BPF LSM programs need CONFIG_DEBUG_INFO_BTF=y", p,
			    strerror(errno));
	if (!lsm_active(lsm, sizeof lsm))
		return fail(EXIT_NO_LSM,
			    "the bpf LSM is not active (active LSMs: %s); boot with lsm=...,bpf on the kernel command line "
			    "(and CONFIG_BPF_LSM=y)",
			    lsm);
	if (!quiet)
		printf("{\"btf\":true,\"bpfLsm\":true,\"lsm\":\"%s\"}\n", lsm);
	return 0;
}

/* --- load ------------------------------------------------------------------------------------------------- */

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);
	size_t r;
	while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			uint8_t *b = realloc(buf, cap *= 2);
			if (!b) {
				free(buf);
				buf = NULL;
			}
			buf = b;
		}
	}
	fclose(f);
	*len = n;
	return buf;
}

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

/* Write every record of maps.bin (targets/bpf/encode.ts) into the object's maps. */
static int fill_maps(struct bpf_object *obj, const char *maps_path)
{
	size_t len;
	uint8_t *b = read_file(maps_path, &len);
	if (!b)
		return fail(EXIT_FAIL, "cannot read %s: %s", maps_path, strerror(errno));
	if (len < 12 || memcmp(b, "AARMMAP1", 8))
		return fail(EXIT_FAIL, "%s is not an aarm maps file", maps_path);
	uint32_t count = le32(b + 8);
	size_t at = 12;
	for (uint32_t i = 0; i < count; i++) {
		if (at + 2 > len)
			return fail(EXIT_FAIL, "%s: truncated at record %u", maps_path, i);
		uint8_t kind = b[at], name_len = b[at + 1];
		char name[256];
		if (at + 2 + name_len + 2 > len)
			return fail(EXIT_FAIL, "%s: truncated at record %u", maps_path, i);
		memcpy(name, b + at + 2, name_len);
		name[name_len] = 0;
		at += 2 + name_len;
		uint16_t klen = le16(b + at);
		const uint8_t *key = b + at + 2;
		at += 2 + klen;
		if (at + 2 > len)
			return fail(EXIT_FAIL, "%s: truncated at record %u", maps_path, i);
		uint16_t vlen = le16(b + at);
		const uint8_t *value = b + at + 2;
		at += 2 + vlen;
		if (at > len)
			return fail(EXIT_FAIL, "%s: truncated at record %u", maps_path, i);
		struct bpf_map *m = bpf_object__find_map_by_name(obj, name);
		if (!m)
			return fail(EXIT_FAIL, "%s names map %s, which the program does not have", maps_path, name);
		if (vlen != bpf_map__value_size(m))
			return fail(EXIT_FAIL, "%s: value size %u for map %s, expected %u", maps_path, vlen, name, bpf_map__value_size(m));
		int err;
		if (kind == 1) {
			if (klen != bpf_map__key_size(m))
				return fail(EXIT_FAIL, "%s: key size %u for map %s, expected %u", maps_path, klen, name, bpf_map__key_size(m));
			err = bpf_map__update_elem(m, key, klen, value, vlen, BPF_ANY);
		} else if (kind == 2) {
			char path[PATH_KEY + 1];
			if (klen > PATH_KEY)
				return fail(EXIT_FAIL, "%s: path of %u bytes", maps_path, klen);
			memcpy(path, key, klen);
			path[klen] = 0;
			struct stat st;
			if (stat(path, &st) != 0)
				continue; /* not on this host: the canonical path still matches if it appears */
			struct ino_key ik = { .ino = st.st_ino, .dev = (major(st.st_dev) << 20) | minor(st.st_dev) };
			if (bpf_map__key_size(m) != sizeof ik)
				return fail(EXIT_FAIL, "map %s is not an inode map", name);
			err = bpf_map__update_elem(m, &ik, sizeof ik, value, vlen, BPF_ANY);
		} else {
			return fail(EXIT_FAIL, "%s: unknown record kind %u", maps_path, kind);
		}
		if (err)
			return fail(EXIT_FAIL, "cannot write map %s: %s", name, strerror(-err));
	}
	free(b);
	if (at != len)
		return fail(EXIT_FAIL, "%s: trailing bytes", maps_path);
	return 0;
}

static int cgroup_id(const char *dir, uint64_t *id)
{
	struct stat st;
	if (stat(dir, &st) != 0)
		return fail(EXIT_FAIL, "cgroup %s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return fail(EXIT_FAIL, "cgroup %s: not a directory", dir);
	struct { struct file_handle fh; uint64_t id; } h = { .fh.handle_bytes = sizeof(uint64_t) };
	int mount_id;
	if (name_to_handle_at(AT_FDCWD, dir, &h.fh, &mount_id, 0) == 0 && h.fh.handle_bytes == 8)
		memcpy(id, h.fh.f_handle, 8);
	else
		*id = st.st_ino; /* the cgroup v2 id is the kernfs inode number */
	return 0;
}

static int pin_all(struct bpf_object *obj, const char *dir)
{
	struct bpf_map *m;
	bpf_object__for_each_map(m, obj) {
		const char *name = bpf_map__name(m);
		if (strncmp(name, "aarm_", 5))
			continue; /* internal maps (.rodata of the policy section) */
		char p[512];
		snprintf(p, sizeof p, "%s/%s", dir, name);
		int err = bpf_map__pin(m, p);
		if (err)
			return fail(EXIT_FAIL, "cannot pin map %s: %s", p, strerror(-err));
	}
	return 0;
}

static int unpin_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char p[512];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	return rmdir(dir) ? -errno : 0;
}

static int cmd_load(int argc, char **argv)
{
	if (argc < 5)
		return fail(EXIT_USAGE, "usage: aarm-bpf load OBJECT MAPS PINDIR (--cgroup DIR... | --unscoped)");
	const char *obj_path = argv[2], *maps_path = argv[3], *pin = argv[4];
	int unscoped = 0, ncg = 0;
	uint64_t cgroups[MAX_CGROUPS];
	for (int i = 5; i < argc; i++) {
		if (!strcmp(argv[i], "--unscoped"))
			unscoped = 1;
		else if (!strcmp(argv[i], "--cgroup") && i + 1 < argc) {
			if (ncg == MAX_CGROUPS)
				return fail(EXIT_USAGE, "at most %d cgroups", MAX_CGROUPS);
			int err = cgroup_id(argv[++i], &cgroups[ncg]);
			if (err)
				return err;
			ncg++;
		} else
			return fail(EXIT_USAGE, "unexpected argument %s", argv[i]);
	}
	if (!unscoped && ncg == 0)
		return fail(EXIT_USAGE, "say whose processes to enforce on: --cgroup DIR (the agent's cgroup), or --unscoped for every process on the host");
	if (unscoped && ncg > 0)
		return fail(EXIT_USAGE, "--unscoped and --cgroup exclude each other");
	int rc = check_kernel(1);
	if (rc)
		return rc;
	struct stat st;
	if (stat(pin, &st) == 0)
		return fail(EXIT_FAIL, "%s exists: a policy is already loaded there (run unload first)", pin);
	libbpf_set_print(print_libbpf);
	struct bpf_object *obj = bpf_object__open_file(obj_path, NULL);
	if (!obj || libbpf_get_error(obj))
		return fail(EXIT_FAIL, "cannot open %s: %s", obj_path, strerror(errno));
	int err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "%s", verifier_log);
		return fail(EXIT_REFUSED, "the kernel refused to load %s: %s%s", obj_path, strerror(-err),
			    err == -EPERM ? " (not root, CAP_BPF/CAP_SYS_ADMIN missing, or lockdown)" : "");
	}
	if ((err = fill_maps(obj, maps_path)))
		return err;
	struct config cfg = { .unscoped = (uint32_t)unscoped };
	uint32_t zero = 0;
	struct bpf_map *cm = bpf_object__find_map_by_name(obj, "aarm_config");
	struct bpf_map *cgm = bpf_object__find_map_by_name(obj, "aarm_cgroups");
	if (!cm || !cgm)
		return fail(EXIT_FAIL, "%s is not an aarm kernel program", obj_path);
	uint8_t one = 1;
	for (int i = 0; i < ncg; i++)
		if ((err = bpf_map__update_elem(cgm, &cgroups[i], 8, &one, 1, BPF_ANY)))
			return fail(EXIT_FAIL, "cannot write the cgroup map: %s", strerror(-err));
	if ((err = bpf_map__update_elem(cm, &zero, 4, &cfg, sizeof cfg, BPF_ANY)))
		return fail(EXIT_FAIL, "cannot write the config map: %s", strerror(-err));
	if (mkdir(pin, 0700) != 0)
		return fail(EXIT_FAIL, "cannot create %s: %s (is bpffs mounted at /sys/fs/bpf?)", pin, strerror(errno));
	if ((err = pin_all(obj, pin))) {
		unpin_dir(pin);
		return err;
	}
	struct bpf_program *p;
	int attached = 0;
	bpf_object__for_each_program(p, obj) {
		struct bpf_link *l = bpf_program__attach(p);
		if (!l || libbpf_get_error(l)) {
			int e = errno;
			unpin_dir(pin);
			return fail(EXIT_REFUSED, "the kernel refused to attach %s: %s", bpf_program__name(p), strerror(e));
		}
		char lp[512];
		snprintf(lp, sizeof lp, "%s/link_%s", pin, bpf_program__name(p));
		if ((err = bpf_link__pin(l, lp))) {
			unpin_dir(pin);
			return fail(EXIT_FAIL, "cannot pin %s: %s", lp, strerror(-err));
		}
		attached++;
	}
	printf("{\"loaded\":true,\"programs\":%d,\"pin\":\"%s\",\"scope\":\"%s\",\"cgroups\":%d}\n", attached, pin,
	       unscoped ? "unscoped" : "cgroup", ncg);
	return 0;
}

/* --- unload, status, events --------------------------------------------------------------------------------- */

static int pinned(const char *dir, const char *name)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return bpf_obj_get(p);
}

static int cmd_unload(int argc, char **argv)
{
	if (argc != 3)
		return fail(EXIT_USAGE, "usage: aarm-bpf unload PINDIR");
	struct stat st;
	if (stat(argv[2], &st) != 0)
		return fail(EXIT_NOT_LOADED, "nothing is loaded at %s", argv[2]);
	int err = unpin_dir(argv[2]);
	if (err)
		return fail(EXIT_FAIL, "cannot remove %s: %s", argv[2], strerror(-err));
	printf("{\"loaded\":false,\"pin\":\"%s\"}\n", argv[2]);
	return 0;
}

static int cmd_status(int argc, char **argv)
{
	if (argc != 3)
		return fail(EXIT_USAGE, "usage: aarm-bpf status PINDIR");
	const char *dir = argv[2];
	int stats = pinned(dir, "aarm_stats"), rules = pinned(dir, "aarm_rules"), cfgfd = pinned(dir, "aarm_config");
	if (stats < 0 || rules < 0 || cfgfd < 0) {
		printf("{\"loaded\":false,\"pin\":\"%s\"}\n", dir);
		return EXIT_NOT_LOADED;
	}
	uint64_t denials = 0, lost = 0;
	uint32_t k = 0;
	bpf_map_lookup_elem(stats, &k, &denials);
	k = 1;
	bpf_map_lookup_elem(stats, &k, &lost);
	struct config cfg = { 0 };
	k = 0;
	bpf_map_lookup_elem(cfgfd, &k, &cfg);
	struct bpf_map_info info = { 0 };
	uint32_t ilen = sizeof info;
	bpf_obj_get_info_by_fd(rules, &info, &ilen);
	int links = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, "link_", 5))
			links++;
	if (d)
		closedir(d);
	printf("{\"loaded\":%s,\"pin\":\"%s\",\"programs\":%d,\"rules\":%u,\"scope\":\"%s\",\"denials\":%llu,\"lostEvents\":%llu}\n",
	       links > 0 ? "true" : "false", dir, links, info.max_entries, cfg.unscoped ? "unscoped" : "cgroup",
	       (unsigned long long)denials, (unsigned long long)lost);
	return links > 0 ? 0 : EXIT_NOT_LOADED;
}

struct events_ctx { int rules; long max; long seen; };

static void json_string(const char *s, size_t max)
{
	putchar('"');
	for (size_t i = 0; i < max && s[i]; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

static const char *HOOKS[] = { "?", "file_open", "bprm_check_security", "socket_connect" };

static int on_event(void *ctx, void *data, size_t size)
{
	struct events_ctx *c = ctx;
	struct event *e = data;
	if (size < sizeof *e)
		return 0;
	char id[RULE_ID + 1] = "";
	if (e->rule == 0xffffffffU)
		snprintf(id, sizeof id, "(unresolved path)");
	else if (bpf_map_lookup_elem(c->rules, &e->rule, id) != 0)
		snprintf(id, sizeof id, "(rule %u)", e->rule);
	id[RULE_ID] = 0;
	printf("{\"hook\":\"%s\",\"pid\":%u,\"cgroup\":%llu,\"rule\":", HOOKS[e->hook < 4 ? e->hook : 0], e->pid,
	       (unsigned long long)e->cgroup);
	json_string(id, RULE_ID);
	printf(",\"ruleIndex\":%d", e->rule == 0xffffffffU ? -1 : (int)e->rule);
	if (e->hook == 3) {
		char a[64];
		if (e->family == 4)
			snprintf(a, sizeof a, "%u.%u.%u.%u", e->addr[0], e->addr[1], e->addr[2], e->addr[3]);
		else {
			int n = 0;
			for (int i = 0; i < 16; i += 2)
				n += snprintf(a + n, sizeof a - n, "%s%x", i ? ":" : "", e->addr[i] << 8 | e->addr[i + 1]);
		}
		printf(",\"family\":%u,\"address\":\"%s\",\"port\":%u", e->family, a, e->port);
	} else {
		printf(",\"path\":");
		json_string(e->path, PATH_KEY);
	}
	printf("}\n");
	fflush(stdout);
	c->seen++;
	return c->max > 0 && c->seen >= c->max ? 1 : 0;
}

static int cmd_events(int argc, char **argv)
{
	if (argc < 3)
		return fail(EXIT_USAGE, "usage: aarm-bpf events PINDIR [--timeout-ms N] [--max N]");
	long timeout = -1, max = 0;
	for (int i = 3; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--timeout-ms"))
			timeout = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--max"))
			max = atol(argv[i + 1]);
		else
			return fail(EXIT_USAGE, "unexpected argument %s", argv[i]);
	}
	int rb_fd = pinned(argv[2], "aarm_events"), rules = pinned(argv[2], "aarm_rules");
	if (rb_fd < 0 || rules < 0)
		return fail(EXIT_NOT_LOADED, "nothing is loaded at %s", argv[2]);
	struct events_ctx ctx = { .rules = rules, .max = max };
	struct ring_buffer *rb = ring_buffer__new(rb_fd, on_event, &ctx, NULL);
	if (!rb)
		return fail(EXIT_FAIL, "cannot open the event ring buffer: %s", strerror(errno));
	for (;;) {
		int n = ring_buffer__poll(rb, timeout < 0 ? 1000 : (int)timeout);
		if (n < 0 && n != -EINTR) {
			if (ctx.max > 0 && ctx.seen >= ctx.max)
				break;
			return fail(EXIT_FAIL, "reading events: %s", strerror(-n));
		}
		if (ctx.max > 0 && ctx.seen >= ctx.max)
			break;
		if (timeout >= 0 && n == 0)
			break;
	}
	ring_buffer__free(rb);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return fail(EXIT_USAGE, "usage: aarm-bpf check|load|unload|status|events ...");
	const char *cmd = argv[1];
	if (!strcmp(cmd, "check"))
		return check_kernel(0);
	if (!strcmp(cmd, "load"))
		return cmd_load(argc, argv);
	if (!strcmp(cmd, "unload"))
		return cmd_unload(argc, argv);
	if (!strcmp(cmd, "status"))
		return cmd_status(argc, argv);
	if (!strcmp(cmd, "events"))
		return cmd_events(argc, argv);
	return fail(EXIT_USAGE, "unknown command %s (expected check, load, unload, status or events)", cmd);
}
