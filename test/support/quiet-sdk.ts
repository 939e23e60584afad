// The AWS SDK warns once per process on Node 20; the warning is noise in test output.
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
