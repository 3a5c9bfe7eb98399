package dev.chase.model;

/**
 * How a freshly built network draws its conv and linear parameters (BatchNorm always starts at
 * gamma 1, beta 0). Each constant reproduces the initialisation of one reference model family, so
 * that training from scratch starts from the same distribution as the paper's runs. All draws use
 * the engine's random generator: {@code Engine.getInstance().setRandomSeed(seed)} makes them
 * reproducible.
 */
public enum WeightInit {
    /**
     * Reference CIFAR VGG: conv weights Kaiming-normal with fan_out and ReLU gain, conv biases 0,
     * linear weights N(0, 0.01), linear bias 0.
     */
    VGG_CIFAR,
    /**
     * Reference CIFAR ResNet-20/32/56: conv and linear weights Kaiming-normal with fan_in and ReLU
     * gain; biases PyTorch default U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
     */
    KAIMING_FAN_IN,
    /**
     * Reference ImageNet ResNet-50 ("fanin"): conv weights Kaiming-normal with fan_in and ReLU gain;
     * the linear layer keeps the PyTorch default.
     */
    KAIMING_FAN_IN_CONV,
    /**
     * PyTorch default for conv and linear layers (Kaiming-uniform with a = sqrt(5)), i.e. weights
     * and biases U(-1/sqrt(fan_in), 1/sqrt(fan_in)); used by the reference CIFAR ResNet-50.
     */
    PYTORCH_DEFAULT
}
