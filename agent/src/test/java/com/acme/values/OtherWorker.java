package com.acme.values;

/** Another class of the allocator's package: package-private members are visible to it, private ones not. */
public class OtherWorker {
}
