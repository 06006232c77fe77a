#!/usr/bin/env node
console.log("zoo-sync: not yet written");
