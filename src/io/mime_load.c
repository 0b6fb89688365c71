/*
 * io/mime.h for the mentorctl binary: the functions live in a plugin,
 * mentorctl-mime.so, loaded the first time `inbox` needs them.  GMime and
 * GLib pull in 17 shared libraries; linked into the binary they would be
 * loaded by every command (doubling the start-up of `mentorctl --version`),
 * although only `inbox` reads mail.  The unit tests and fuzz targets link
 * src/io/mime.c itself instead of this file.
 *
 * Where the plugin is looked for: $MENTORCTL_MIME_PLUGIN (a file), beside
 * the running binary (the build directory), then MENTORCTL_PLUGINDIR (where
 * `make install` puts it).
 */
#include "io/mime.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/xmalloc.h"

#ifndef MENTORCTL_PLUGINDIR
#define MENTORCTL_PLUGINDIR "/usr/local/lib/mentorctl"
#endif
#define PLUGIN_NAME "mentorctl-mime.so"

static struct {
	void *handle;
	int (*parse)(const char *, size_t, struct mime_msg **, struct error *);
	void (*free)(struct mime_msg *);
	char *(*html)(const char *, size_t);
} plugin;

static void *
try_open(const char *path, char *why, size_t whysz)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);

	if (h == NULL && why[0] == '\0') {
		const char *e = dlerror();

		snprintf(why, whysz, "%.400s", e ? e : path);
	}
	return h;
}

static int
load(struct error *err)
{
	char self[PATH_MAX], path[PATH_MAX + sizeof PLUGIN_NAME], why[512] = "";
	const char *env = getenv("MENTORCTL_MIME_PLUGIN");
	ssize_t n;
	char *slash;
	void *h = NULL;

	if (plugin.handle != NULL)
		return 0;
	if (env != NULL && *env != '\0')
		h = try_open(env, why, sizeof why);
	if (h == NULL && (n = readlink("/proc/self/exe", self,
	    sizeof self - 1)) > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			snprintf(path, sizeof path, "%s/%s", self, PLUGIN_NAME);
			if (access(path, F_OK) == 0)
				h = try_open(path, why, sizeof why);
		}
	}
	if (h == NULL) {
		snprintf(path, sizeof path, "%s/%s", MENTORCTL_PLUGINDIR,
		    PLUGIN_NAME);
		h = try_open(path, why, sizeof why);
	}
	if (h == NULL)
		return error_set(err, EX_SOFTWARE, "cannot load the mail reader "
		    "(%s): %s; install mentorctl with 'make install' or set "
		    "MENTORCTL_MIME_PLUGIN", PLUGIN_NAME, why);
	*(void **)&plugin.parse = dlsym(h, "mime_parse");
	*(void **)&plugin.free = dlsym(h, "mime_msg_free");
	*(void **)&plugin.html = dlsym(h, "mime_html_to_text");
	if (plugin.parse == NULL || plugin.free == NULL || plugin.html == NULL) {
		dlclose(h);
		memset(&plugin, 0, sizeof plugin);
		return error_set(err, EX_SOFTWARE, "the mail reader %s is not "
		    "this mentorctl's", PLUGIN_NAME);
	}
	plugin.handle = h;
	return 0;
}

int
mime_parse(const char *buf, size_t len, struct mime_msg **out,
    struct error *err)
{
	*out = NULL;
	if (load(err) != 0)
		return -1;
	return plugin.parse(buf, len, out, err);
}

void
mime_msg_free(struct mime_msg *m)
{
	if (m != NULL && plugin.free != NULL)
		plugin.free(m);
}

char *
mime_html_to_text(const char *html, size_t len)
{
	struct error err = ERROR_INIT;

	if (load(&err) != 0) {
		error_clear(&err);
		return xstrdup("");
	}
	return plugin.html(html, len);
}
