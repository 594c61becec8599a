package dev.threatip.block;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Tencent Cloud security group policies (VPC API 2017-03-12, {@code CreateSecurityGroupPolicies}):
 * {@code {"SecurityGroupPolicySet": {"Ingress": [{"PolicyIndex": 0, "Protocol": "ALL",
 * "CidrBlock" | "Ipv6CidrBlock", "Action": "DROP", "PolicyDescription"}]}}}. Unlike AWS,
 * Tencent security groups can drop; index 0 inserts the rules at the top, ahead of the allows
 * (one request's rules must share an index). {@code DescribeSecurityGroupLimits} reports 100
 * policies per security group by default.
 */
final class TencentSgFormat implements ExportFormat {
    private static final ExportTarget TARGET = ExportTarget.enforcing(
            "tencent-sg",
            "Tencent Cloud security group ingress DROP policies, for CreateSecurityGroupPolicies",
            "application/json",
            ".json",
            new Capacity(100, false, "Tencent Cloud policies per security group (SecurityGroupPolicyLimit)"),
            "a security group cannot challenge");


    @Override
    public ExportTarget target() {
        return TARGET;
    }

    @Override
    public void write(Selection s, StringBuilder out) {
        ObjectNode root = JsonOutput.NODES.objectNode();
        ArrayNode ingress = root.putObject("SecurityGroupPolicySet").putArray("Ingress");
        for (Selection.Entry e : s.entries()) {
            ObjectNode o = ingress.addObject();
            o.put("PolicyIndex", 0);
            o.put("Protocol", "ALL");
            o.put(e.scope().isIpv4() ? "CidrBlock" : "Ipv6CidrBlock", e.scope().toString());
            o.put("Action", "DROP");
            o.put("PolicyDescription", SafeText.comment("threatip " + e.comment(), SafeText.COMMENT_MAX));
        }
        JsonOutput.write(root, out);
    }
}
