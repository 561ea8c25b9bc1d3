// The local cloud's account and region, in a file of their own so IAM and Step Functions share them without a cycle.
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';
