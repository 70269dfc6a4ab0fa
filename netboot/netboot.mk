# The master side: ghostwatch (report collector and status tool), built with the host's gcc
# and OpenSSL's libcrypto for the HMAC. Unit tests link its code through NETBOOT_HOST_LIB.
NETBOOT_HOST_LIBS := -lcrypto
