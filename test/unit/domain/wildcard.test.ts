import { describe, expect, it } from 'vitest';
import { matchesWildcard } from '../../../src/domain/wildcard.js';

const action = (pattern: string, text: string) => matchesWildcard(pattern, text, { ignoreCase: true });

describe('IAM wildcard matching', () => {
  it('matches IAM action patterns as IAM does', () => {
    expect(action('iam:*', 'iam:CreateUser')).toBe(true);
    expect(action('iam:*', 'iamx:CreateUser')).toBe(false);
    expect(action('s3:Get*', 's3:GetObject')).toBe(true);
    expect(action('s3:Get*', 's3:Get')).toBe(true);
    expect(action('s3:Get*', 's3:PutObject')).toBe(false);
    expect(action('*', 'ec2:RunInstances')).toBe(true);
    expect(action('*', '')).toBe(true);
    expect(action('ec2:Describe?nstances', 'ec2:DescribeInstances')).toBe(true);
    expect(action('ec2:Describe?nstances', 'ec2:Describenstances')).toBe(false);
    expect(action('ec2:Describe?nstances', 'ec2:DescribeXXnstances')).toBe(false);
    expect(action('*Object', 'GetObject')).toBe(true);
    expect(action('Get*Acl', 'GetObjectAcl')).toBe(true);
    expect(action('Get*Acl', 'GetObjectAclX')).toBe(false);
    expect(action('*a*b*c*', 'xxaxxbxxcxx')).toBe(true);
    expect(action('*a*b*c*', 'xxaxxcxxbxx')).toBe(false);
  });

  it('ignores case for action names when asked, and only then', () => {
    expect(action('S3:getobject', 's3:GetObject')).toBe(true);
    expect(action('IAM:Pass?ole', 'iam:PassRole')).toBe(true);
    expect(matchesWildcard('S3:getobject', 's3:GetObject')).toBe(false);
    expect(matchesWildcard('arn:aws:s3:::Prod-*', 'arn:aws:s3:::prod-data')).toBe(false);
    expect(matchesWildcard('arn:aws:s3:::prod-*', 'arn:aws:s3:::prod-data')).toBe(true);
  });

  it('handles empty patterns and texts', () => {
    expect(action('', '')).toBe(true);
    expect(action('', 'a')).toBe(false);
    expect(action('a', '')).toBe(false);
    expect(action('?', '')).toBe(false);
    expect(action('**', '')).toBe(true);
  });

  it('treats consecutive stars as one, and `?` as exactly one character', () => {
    expect(action('ec2:***Instances', 'ec2:RunInstances')).toBe(true);
    expect(action('ec2:**?**', 'ec2:')).toBe(false);
    expect(action('ec2:**?**', 'ec2:X')).toBe(true);
    expect(action('???', 'abc')).toBe(true);
    expect(action('???', 'ab')).toBe(false);
  });

  it('takes no RegExp syntax from the pattern', () => {
    expect(action('s3:.*', 's3:GetObject')).toBe(false);
    expect(action('s3:Get[A-Z]', 's3:GetA')).toBe(false);
    expect(action('(a|b)', '(a|b)')).toBe(true);
  });

  it('stays fast on patterns that make a backtracking RegExp explode', () => {
    const text = `ec2:${'a'.repeat(5_000)}`;
    const started = performance.now();
    expect(action(`ec2:${'*'.repeat(40)}Z`, text)).toBe(false);
    expect(action(`ec2:${'*?'.repeat(40)}Z`, text)).toBe(false);
    expect(action(`${'*a'.repeat(200)}b`, 'a'.repeat(5_000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
