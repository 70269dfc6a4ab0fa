# `make kernel`: the custom worker kernel (KERNEL_BASE=allnoconfig, the default, or debian for a
# full kernel with modules) and the module-free image that goes with it.
KERNEL_CUSTOM := $(BUILD)/kernel-custom
KERNEL_BASE ?= allnoconfig

.PHONY: kernel
kernel: | $(KERNEL)/.key
	@kernel-config/build-kernel.sh $(KERNEL_CUSTOM) $(KERNEL_BASE)

$(KERNEL_CUSTOM)/.key: $(wildcard kernel-config/*.config) kernel-config/build-kernel.sh | $(KERNEL)/.key
	@kernel-config/build-kernel.sh $(KERNEL_CUSTOM) allnoconfig

$(BUILD)/initramfs-custom.img: $(BUILD)/ghostinit $(IMAGE_INPUTS) $(KERNEL_CUSTOM)/.key
	initramfs/mkimage.sh --output $@ --agent $(BUILD)/ghostinit --kernel-tree $(KERNEL_CUSTOM)
