/* Console and kernel-log output of ghostinit: every line starts with "ghostinit: ". */
#ifndef GHOST_LOG_H
#define GHOST_LOG_H

enum log_level { LOG_LEVEL_ERR = 3, LOG_LEVEL_WARN = 4, LOG_LEVEL_INFO = 5, LOG_LEVEL_DEBUG = 7 };

/* Opens /dev/kmsg when it can and learns the console loglevel; safe to call again. */
void log_init(void);
void log_set_debug(int on);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_LEVEL_ERR, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
